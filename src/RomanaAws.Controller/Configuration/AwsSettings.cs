using RomanaAws.Aws;

namespace RomanaAws.Controller.Configuration;

/// <summary>The <c>aws:</c> section: region, optional endpoints, retries and pacing.</summary>
public sealed class AwsSettings
{
    public const string Section = "aws";

    public string? Region { get; set; }

    public string? Ec2ServiceUrl { get; set; }

    public string? CloudWatchServiceUrl { get; set; }

    [SettingRange(0, 20)]
    public int MaxRetries { get; set; } = 5;

    [SettingRange(10, 60_000)]
    public int RetryBaseDelayMs { get; set; } = 200;

    /// <summary>Client-side pace of mutating calls; EC2 refills its mutating bucket at 5/s.</summary>
    [SettingRange(0, 5, MinInclusive = false)]
    public double MutationsPerSecond { get; set; } = 4;

    [SettingRange(1, 50)]
    public int MutationBurst { get; set; } = 20;

    [SettingRange(1, 32)]
    public int MaxConcurrency { get; set; } = 4;

    [SettingRange(1, 300)]
    public int CallTimeoutSeconds { get; set; } = 15;

    public AwsOptions ToOptions() => new()
    {
        Region = Region,
        Ec2ServiceUrl = Ec2ServiceUrl is null ? null : new Uri(Ec2ServiceUrl),
        CloudWatchServiceUrl = CloudWatchServiceUrl is null ? null : new Uri(CloudWatchServiceUrl),
        MaxRetries = MaxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(RetryBaseDelayMs),
        MutationsPerSecond = MutationsPerSecond,
        MutationBurst = MutationBurst,
        MaxConcurrency = MaxConcurrency,
        CallTimeout = TimeSpan.FromSeconds(CallTimeoutSeconds),
    };
}
