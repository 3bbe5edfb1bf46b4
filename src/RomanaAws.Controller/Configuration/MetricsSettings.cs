namespace RomanaAws.Controller.Configuration;

/// <summary>The <c>metrics:</c> section: CloudWatch publishing (the Prometheus endpoint is always on).</summary>
public sealed class MetricsSettings
{
    public const string Section = "metrics";

    public bool Enabled { get; set; } = true;

    public string Namespace { get; set; } = "RomanaAws";

    public int PublishSeconds { get; set; } = 60;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Namespace) || Namespace.StartsWith("AWS/", StringComparison.Ordinal) || Namespace.Length > 255)
        {
            errors.Add($"metrics:namespace: '{Namespace}' must be 1–255 characters and must not start with AWS/");
        }

        if (PublishSeconds is < 10 or > 3600)
        {
            errors.Add($"metrics:publishSeconds: {PublishSeconds} must be from 10 to 3600");
        }

        return errors;
    }
}
