namespace RomanaAws.Controller.Metrics;

/// <summary>
/// The CloudWatch metric names and dimensions, in one place. The CloudFormation alarms must use exactly these
/// (a test checks it), and the Prometheus endpoint exposes the same figures.
/// </summary>
public static class MetricNames
{
    public const string DefaultNamespace = "RomanaAws";

    public const string ClusterDimension = "ClusterName";

    public const string ZoneDimension = "Zone";

    /// <summary>Count of groups moved to a new target (per publish period; also per zone).</summary>
    public const string RouteFailovers = "RouteFailovers";

    /// <summary>Seconds from a target's last healthy sign to every table re-pointed.</summary>
    public const string FailoverSeconds = "FailoverSeconds";

    /// <summary>Groups with no healthy host to route to.</summary>
    public const string NoHealthyTarget = "NoHealthyTarget";

    /// <summary>Current route targets that are not healthy.</summary>
    public const string UnhealthyTargets = "UnhealthyTargets";

    /// <summary>Routes RomanaAws holds over all managed tables.</summary>
    public const string ManagedRoutes = "ManagedRoutes";

    /// <summary>Lowest routes left under the budget over managed tables.</summary>
    public const string RouteBudgetHeadroom = "RouteBudgetHeadroom";

    /// <summary>Errors in reconcile passes (per publish period).</summary>
    public const string ReconcileErrors = "ReconcileErrors";

    /// <summary>Terms begun: 1 from the replica that became leader, per publish period (with etcd; the sum over replicas is the leader changes).</summary>
    public const string LeaderChanges = "LeaderChanges";

    /// <summary>One datapoint written by <c>romana-aws preflight</c> to prove publishing works (not alarmed, not in <see cref="All"/>).</summary>
    public const string Preflight = "Preflight";

    public static IReadOnlyList<string> All { get; } =
        [RouteFailovers, FailoverSeconds, NoHealthyTarget, UnhealthyTargets, ManagedRoutes, RouteBudgetHeadroom, ReconcileErrors, LeaderChanges];
}
