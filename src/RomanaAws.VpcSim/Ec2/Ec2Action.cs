using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>Throttling categories, as EC2 buckets its API calls.</summary>
internal enum ApiCategory
{
    Describe,
    Mutating,
    UnfilteredDescribeInstances,
}

/// <summary>One EC2 action: its name, its throttling bucket, and its handler (run under the world's lock).</summary>
internal sealed record Ec2Action(string Name, ApiCategory Category, Func<QueryRequest, SimWorld, object?[]> Handle);
