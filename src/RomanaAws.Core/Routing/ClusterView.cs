using RomanaAws.Core.Ipam;

namespace RomanaAws.Core.Routing;

/// <summary>
/// One look at the cluster as the controller sees it: the snapshot, the VPC, the tables it manages and why, and what
/// is wrong with that choice; and from it, for an IPAM plan and a health view, the desired routes and the operator's
/// report. The one path snapshot → tables → desired routes shared by the reconcile pass, <c>romana-aws routes</c> and
/// <c>romana-aws preflight</c>. Pure.
/// </summary>
public sealed record ClusterView(ClusterSnapshot Snapshot, string? VpcId, TableSelection Selection, IReadOnlyList<string> Problems)
{
    public IReadOnlyList<RouteTableSnapshot> Managed => Selection.Tables;

    /// <param name="vpcId">The VPC the tables were described in (<see cref="ManagedTables.Vpc"/>); null when there is none.</param>
    public static ClusterView Of(
        string cluster, string? configuredVpc, IReadOnlyList<string>? routeTables, IReadOnlyList<InstanceSnapshot> instances, string? vpcId,
        IReadOnlyList<RouteTableSnapshot> vpcTables, DateTimeOffset takenAt)
    {
        var selection = ManagedTables.Select(cluster, routeTables, vpcTables, instances);
        var problems = ManagedTables.Problems(cluster, configuredVpc, routeTables, vpcId, vpcTables, selection.Tables);
        return new ClusterView(new ClusterSnapshot(instances, vpcTables, takenAt), vpcId, selection, problems);
    }

    /// <summary>Which host each group's route targets (<see cref="DesiredState.Build"/> over the managed tables).</summary>
    public IReadOnlyList<DesiredRoute> Desired(IpamPlan plan, Func<InstanceSnapshot, TargetHealth> health, Func<GroupKey, TargetHealth, bool>? mayMove = null) =>
        DesiredState.Build(plan, Snapshot, Managed, health, mayMove);

    /// <summary>The managed tables (or <paramref name="tables"/>, as a pass left them) joined with the desired routes (<see cref="RouteReport"/>).</summary>
    public IReadOnlyList<TableView> Report(IpamPlan plan, IReadOnlyList<DesiredRoute> desired, Func<InstanceSnapshot, TargetHealth> health, IReadOnlyList<RouteTableSnapshot>? tables = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return RouteReport.Build(desired, tables ?? Managed, plan.Networks.Select(n => n.Cidr).ToList(), Snapshot.Instances, health, plan.RouteLimit, plan.RouteHeadroom);
    }
}
