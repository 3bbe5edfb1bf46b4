using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim.Throttling;

/// <summary>One token bucket per category, per account, as EC2 does.</summary>
internal sealed class ApiThrottle
{
    private readonly Dictionary<ApiCategory, TokenBucket> _buckets;

    public ApiThrottle(TimeProvider time, ThrottleSettings settings)
    {
        Settings = settings;
        _buckets = new()
        {
            [ApiCategory.Mutating] = new(time, settings.Mutating.Capacity, settings.Mutating.RefillPerSecond),
            [ApiCategory.Describe] = new(time, settings.Describe.Capacity, settings.Describe.RefillPerSecond),
            [ApiCategory.UnfilteredDescribeInstances] = new(time, settings.UnfilteredDescribeInstances.Capacity, settings.UnfilteredDescribeInstances.RefillPerSecond),
        };
    }

    public ThrottleSettings Settings { get; }

    public bool TryAcquire(ApiCategory category) => !Settings.Enabled || _buckets[category].TryTake();
}
