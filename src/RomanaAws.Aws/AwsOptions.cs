namespace RomanaAws.Aws;

/// <summary>How to reach AWS: region, optional endpoints (LocalStack, the simulator), resilience and pacing.</summary>
public sealed record AwsOptions
{
    /// <summary>Null: the SDK's default region chain (AWS_REGION, profile, instance metadata).</summary>
    public string? Region { get; init; }

    /// <summary>An EC2-compatible endpoint (the simulator, LocalStack); null for AWS's regional endpoint.</summary>
    public Uri? Ec2ServiceUrl { get; init; }

    /// <summary>A CloudWatch-compatible endpoint; null for AWS's regional endpoint.</summary>
    public Uri? CloudWatchServiceUrl { get; init; }

    /// <summary>Retries of transient errors (throttling, 5xx, timeouts) before a call fails.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First retry delay; doubles each time, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Mutating calls per second kept client-side (EC2 refills 5/s).</summary>
    public double MutationsPerSecond { get; init; } = 4;

    /// <summary>Mutating calls allowed in a burst (EC2's bucket holds 50; we keep well under).</summary>
    public int MutationBurst { get; init; } = 20;

    /// <summary>Mutating calls in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 4;

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
