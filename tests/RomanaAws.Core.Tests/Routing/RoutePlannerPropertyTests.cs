using FsCheck.Xunit;
using RomanaAws.Core.Routing;
using static RomanaAws.Core.Tests.Routing.RoutingFixtures;

namespace RomanaAws.Core.Tests.Routing;

/// <summary>
/// Random tables (foreign routes, owned routes in and out of the pod network, blackholes, wrong targets) and random
/// desired sets: no plan ever touches a route the controller does not own, no plan exceeds the budget, and
/// applying a plan and planning again converges.
/// </summary>
public sealed class RoutePlannerPropertyTests
{
    [Property(MaxTest = 300)]
    public void Plan_NeverTouchesForeignRoutes_NeverExceedsBudget_Converges(byte[] tableSeed, byte[] desiredSeed, byte foreignCount)
    {
        var routes = new List<RouteEntry>();
        for (var i = 0; i < Math.Min(tableSeed.Length, 30); i++)
        {
            var b = tableSeed[i];
            var destination = (b % 4) switch
            {
                0 => $"100.{96 + (b % 32)}.0.0/16",
                1 => $"10.{b}.0.0/16",
                2 => $"100.{96 + (b % 32)}.{b}.0/24",
                _ => "0.0.0.0/0",
            };
            if (routes.Any(r => r.Destination == destination))
            {
                continue;
            }

            routes.Add((b / 4 % 3) switch
            {
                0 => ToEni(destination, b % 7, b % 5 == 0 ? RouteState.Blackhole : RouteState.Active),
                1 => Peering(destination),
                _ => new RouteEntry(destination, RouteTargetKind.Gateway, "igw-1", null, null, RouteState.Active, "CreateRoute"),
            });
        }

        for (var i = 0; i < foreignCount % 45; i++)
        {
            var destination = $"192.168.{i}.0/24";
            routes.Add(Peering(destination));
        }

        var desired = desiredSeed.Take(40).Select(b => $"100.{96 + (b % 32)}.0.0/16").Distinct()
            .Select((d, i) => Want(d, i % 6 == 5 ? null : i % 6)).ToList();
        var table = Table("rtb-a", routes.ToArray());
        var plan = RoutePlanner.Plan(desired, [table], Networks, Limits);

        foreach (var op in plan.Operations.Where(o => o.Kind != RouteOperationKind.Create))
        {
            var target = table.Routes.Single(r => r.DestinationCidr == op.Destination);
            Assert.True(RouteOwnership.IsOwned(target, Networks), $"{op} touches a foreign route");
        }

        Assert.All(plan.Operations.Where(o => o.Kind == RouteOperationKind.Create), o => Assert.DoesNotContain(table.Routes, r => r.DestinationCidr == o.Destination));
        var budget = plan.Budgets.Single();
        var creates = plan.Operations.Count(o => o.Kind == RouteOperationKind.Create);
        Assert.True(creates == 0 || table.Routes.Count + creates <= Limits.RouteLimit - Limits.RouteHeadroom, $"{table.Routes.Count} + {creates} past the budget");

        // Apply the plan to the table and plan again: repeat until nothing is left; each pass may only shrink the work.
        var current = table;
        for (var pass = 0; pass < 20 && !RoutePlanner.Plan(desired, [current], Networks, Limits).IsConverged; pass++)
        {
            current = Apply(current, RoutePlanner.Plan(desired, [current], Networks, Limits));
            Assert.True(current.Routes.Count <= Math.Max(table.Routes.Count, Limits.RouteLimit - Limits.RouteHeadroom));
            Assert.All(table.Routes.Where(r => !RouteOwnership.IsOwned(r, Networks)), r => Assert.Contains(r, current.Routes));
        }

        Assert.True(RoutePlanner.Plan(desired, [current], Networks, Limits).IsConverged, "did not converge in 20 passes");
    }

    private static RouteTableSnapshot Apply(RouteTableSnapshot table, ReconcilePlan plan)
    {
        var routes = table.Routes.ToList();
        foreach (var op in plan.Operations)
        {
            routes.RemoveAll(r => r.DestinationCidr == op.Destination && op.Kind != RouteOperationKind.Create);
            if (op.Kind != RouteOperationKind.Delete)
            {
                routes.Add(new RouteEntry(op.Destination.ToString(), RouteTargetKind.NetworkInterface, null, op.Target!.InstanceId, op.Target.NetworkInterfaceId, RouteState.Active, "CreateRoute"));
            }
        }

        return table with { Routes = routes };
    }
}
