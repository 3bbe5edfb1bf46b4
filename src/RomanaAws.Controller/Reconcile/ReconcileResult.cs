using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>What one reconcile pass saw, decided and did.</summary>
public sealed record ReconcileResult(
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string? VpcId,
    string TableSelection,
    IReadOnlyList<TableView> Tables,
    ReconcilePlan Plan,
    IReadOnlyList<DesiredRoute> Desired,
    RomanaAws.Core.Ipam.IpamPlan Ipam,
    HostSyncResult Hosts,
    int Applied,
    IReadOnlyList<PassError> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Groups moved to a new target this pass, confirmed in every managed table.</summary>
    public IReadOnlyList<FailoverEvent> Failovers { get; init; } = [];

    /// <summary>Route writes that failed this pass, and creates left out for the route budget (for Node events and conditions).</summary>
    public IReadOnlyList<RouteFailure> RouteFailures { get; init; } = [];

    /// <summary>Where the instances of this pass are, by id (for the Kubernetes node checks).</summary>
    public IReadOnlyList<InstanceSnapshot> Instances { get; init; } = [];

    public int ManagedRoutes => Tables.Sum(t => t.Routes.Count(r => r.Exists));

    /// <summary>Groups with no healthy host to route to.</summary>
    public int NoHealthyTargetGroups => Desired.Where(d => d.Choice == TargetChoice.NoHealthyTarget).Select(d => d.Key).Distinct().Count();

    /// <summary>The lowest headroom left over managed tables (budget − used), or null without tables.</summary>
    public int? RouteBudgetHeadroom => Plan.Budgets.Count == 0 ? null : Plan.Budgets.Min(b => b.HeadroomLeft);
}
