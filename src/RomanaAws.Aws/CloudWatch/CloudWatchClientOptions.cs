using Amazon.Runtime;

namespace RomanaAws.Aws.CloudWatch;

/// <summary>Where and as whom the CloudWatch client talks.</summary>
public sealed record CloudWatchClientOptions
{
    public required string Region { get; init; }

    /// <summary>An EC2/CloudWatch-compatible endpoint (LocalStack, the simulator); null for AWS's regional endpoint.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Credentials; null resolves them through the SDK's default chain (environment, profile, IMDS, …).</summary>
    public AWSCredentials? Credentials { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public Uri Endpoint => ServiceUrl ?? new Uri($"https://monitoring.{Region}.amazonaws.com/");
}
