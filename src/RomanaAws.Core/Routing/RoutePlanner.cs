using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>
/// THE route decision: current tables + desired routes → creates, replaces and deletes. Pure and table-tested.
/// Rules: only owned routes (<see cref="RouteOwnership"/>) are ever written; an owned route pointing anywhere but
/// the chosen target (a blackhole included) is repaired with Replace; a create is skipped rather than written past <c>routeLimit − routeHeadroom</c>; stale
/// owned routes are deleted last, at most <see cref="PlannerLimits.MaxDeletesPerPass"/> per table per pass; a pass
/// over converged tables plans nothing.
/// </summary>
public static class RoutePlanner
{
    public static ReconcilePlan Plan(
        IReadOnlyList<DesiredRoute> desired,
        IReadOnlyList<RouteTableSnapshot> tables,
        IReadOnlyList<Cidr> managedNetworks,
        PlannerLimits limits,
        IReadOnlyList<InstanceSnapshot>? routers = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(limits);
        var operations = new List<RouteOperation>();
        var budgets = new List<TableBudget>();
        var warnings = new List<string>();
        var wanted = desired.GroupBy(d => d.Destination).ToDictionary(g => g.Key, g => g.First());
        foreach (var table in tables.OrderBy(t => t.RouteTableId, StringComparer.Ordinal))
        {
            budgets.Add(PlanTable(table, desired, wanted, managedNetworks, limits, operations, warnings));
        }

        var disable = (routers ?? [])
            .Where(i => i.SourceDestCheck && !i.IsGone && i.PrimaryNetworkInterfaceId.Length > 0)
            .OrderBy(i => i.InstanceId, StringComparer.Ordinal)
            .Select(i => new RouteTarget(i.InstanceId, i.PrimaryNetworkInterfaceId))
            .ToList();
        return new ReconcilePlan(operations, budgets, disable, warnings);
    }

    private static TableBudget PlanTable(
        RouteTableSnapshot table,
        IReadOnlyList<DesiredRoute> desired,
        Dictionary<Cidr, DesiredRoute> wanted,
        IReadOnlyList<Cidr> networks,
        PlannerLimits limits,
        List<RouteOperation> operations,
        List<string> warnings)
    {
        var budget = limits.RouteLimit - limits.RouteHeadroom;
        var byDestination = table.Routes.Where(r => r.DestinationCidr is not null).GroupBy(r => r.DestinationCidr!.Value).ToDictionary(g => g.Key, g => g.First());
        var owned = table.Routes.Where(r => RouteOwnership.IsOwned(r, networks)).ToList();
        var foreign = table.Routes.Count - owned.Count;
        var present = table.Routes.Count;
        var skipped = new List<Cidr>();
        foreach (var route in desired)
        {
            byDestination.TryGetValue(route.Destination, out var existing);
            if (existing is not null && !RouteOwnership.IsOwned(existing, networks))
            {
                warnings.Add($"{table.RouteTableId}: {route.Destination} is held by a route RomanaAws does not own ({existing.TargetKind} {existing.TargetId ?? existing.InstanceId}); leaving it");
                continue;
            }

            // Held by damping or without a healthy host: leave every table as it is, whatever it points at.
            if (route.Target is null || route.Choice is TargetChoice.Held or TargetChoice.NoHealthyTarget)
            {
                continue;
            }

            if (existing is not null)
            {
                // A blackhole is repaired by re-pointing it at the healthy target DesiredState chose; re-writing the same
                // ENI would change nothing (EC2 marks the route active again by itself when that instance runs again).
                if (existing.NetworkInterfaceId != route.Target.NetworkInterfaceId)
                {
                    var why = existing.State == RouteState.Blackhole ? "blackhole" : $"points at {existing.NetworkInterfaceId ?? existing.InstanceId}";
                    operations.Add(new RouteOperation(RouteOperationKind.Replace, table.RouteTableId, route.Destination, route.Target, $"{why}, want {route.Target.InstanceId}"));
                }

                continue;
            }

            if (present + 1 > budget)
            {
                skipped.Add(route.Destination);
                continue;
            }

            operations.Add(new RouteOperation(RouteOperationKind.Create, table.RouteTableId, route.Destination, route.Target, $"group {route.Zone}/{route.SubnetId}/{route.Group}"));
            present++;
        }

        var stale = owned.Where(r => !wanted.ContainsKey(r.DestinationCidr!.Value)).OrderBy(r => r.DestinationCidr!.Value).ToList();
        foreach (var route in stale.Take(limits.MaxDeletesPerPass))
        {
            operations.Add(new RouteOperation(RouteOperationKind.Delete, table.RouteTableId, route.DestinationCidr!.Value, null, "no group needs it"));
            present--;
        }

        if (stale.Count > limits.MaxDeletesPerPass)
        {
            warnings.Add($"{table.RouteTableId}: {stale.Count} stale routes, deleting {limits.MaxDeletesPerPass} this pass (maxDeletesPerPass)");
        }

        var budgetRow = new TableBudget(table.RouteTableId, limits.RouteLimit, limits.RouteHeadroom, foreign, owned.Count, wanted.Count, present, skipped.Count) { Skipped = skipped };
        if (budgetRow.OverBudget)
        {
            warnings.Add($"{table.RouteTableId}: over budget: {foreign} routes not ours + {wanted.Count} wanted > {budgetRow.Budget} " +
                         $"(routeLimit {limits.RouteLimit} − routeHeadroom {limits.RouteHeadroom}); {skipped.Count} route(s) not created. " +
                         $"Remove foreign routes, raise routeLimit (and the account quota), or lower groupsPerSubnet");
        }

        return budgetRow;
    }
}
