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
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Errors.Count == 0;

    public int ManagedRoutes => Tables.Sum(t => t.Routes.Count(r => r.Status != "missing"));

    /// <summary>The lowest headroom left over managed tables (budget − used), or null without tables.</summary>
    public int? RouteBudgetHeadroom => Plan.Budgets.Count == 0 ? null : Plan.Budgets.Min(b => b.HeadroomLeft);
}
