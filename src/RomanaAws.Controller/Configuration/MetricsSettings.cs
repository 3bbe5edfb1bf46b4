namespace RomanaAws.Controller.Configuration;

/// <summary>The <c>metrics:</c> section: CloudWatch publishing (the Prometheus endpoint is always on).</summary>
public sealed class MetricsSettings
{
    public const string Section = "metrics";

    public bool Enabled { get; set; } = true;

    public string Namespace { get; set; } = "RomanaAws";

    [SettingRange(10, 3600)]
    public int PublishSeconds { get; set; } = 60;

    /// <summary>What the binder's types and ranges cannot say.</summary>
    public IEnumerable<SettingProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Namespace) || Namespace.StartsWith("AWS/", StringComparison.Ordinal) || Namespace.Length > 255)
        {
            yield return new SettingProblem("metrics:namespace", Namespace, "must be 1–255 characters and must not start with AWS/");
        }
    }
}
