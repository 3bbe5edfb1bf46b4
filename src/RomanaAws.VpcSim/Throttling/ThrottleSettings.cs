namespace RomanaAws.VpcSim.Throttling;

/// <summary>Bucket sizes and refill rates per API category (EC2's published defaults).</summary>
internal sealed record ThrottleSettings
{
    public bool Enabled { get; init; } = true;

    public BucketSettings Mutating { get; init; } = new(50, 5);

    public BucketSettings Describe { get; init; } = new(100, 20);

    public BucketSettings UnfilteredDescribeInstances { get; init; } = new(50, 10);
}

internal sealed record BucketSettings(int Capacity, double RefillPerSecond);
