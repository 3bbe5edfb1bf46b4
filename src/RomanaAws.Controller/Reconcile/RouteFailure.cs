using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>Why a route a group needs is not in a table after a pass.</summary>
public enum RouteFailureKind
{
    /// <summary>EC2 refused the create or replace (any error but the route limit).</summary>
    FailedToCreateRoute,

    /// <summary>EC2 answered <c>RouteLimitExceeded</c>, or the route was not written to stay under the route budget.</summary>
    RouteLimitExceeded,
}

/// <summary>One route write that failed (or was not attempted for the budget) in one table: what a Node event reports.</summary>
public sealed record RouteFailure(RouteFailureKind Kind, string RouteTableId, Cidr Destination, string? TargetInstance, string Message)
{
    /// <summary>The creates the planner left out to stay under a table's budget (routeLimit − routeHeadroom).</summary>
    public static IEnumerable<RouteFailure> OverBudget(ReconcilePlan plan, IReadOnlyList<DesiredRoute> desired)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(desired);
        return plan.Budgets.SelectMany(b => b.Skipped.Select(d => new RouteFailure(
            RouteFailureKind.RouteLimitExceeded, b.RouteTableId, d, desired.FirstOrDefault(r => r.Destination == d)?.Target?.InstanceId,
            $"{d} not created in {b.RouteTableId}: the table is at its budget ({b.Foreign} routes not ours + {b.Desired} wanted > routeLimit {b.RouteLimit} − routeHeadroom {b.RouteHeadroom})")));
    }
}
