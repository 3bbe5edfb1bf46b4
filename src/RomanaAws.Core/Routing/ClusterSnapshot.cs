namespace RomanaAws.Core.Routing;

/// <summary>One consistent look at the world: the cluster's instances and the VPC's route tables, and when it was taken.</summary>
public sealed record ClusterSnapshot(IReadOnlyList<InstanceSnapshot> Instances, IReadOnlyList<RouteTableSnapshot> RouteTables, DateTimeOffset TakenAt)
{
    public InstanceSnapshot? Instance(string instanceId) => Instances.FirstOrDefault(i => i.InstanceId == instanceId);
}
