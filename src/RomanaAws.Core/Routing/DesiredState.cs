using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>
/// Decides, for every group with hosts, which host its route targets — the same in every table. Sticky: a healthy
/// current target is never moved just because another host would also do. A new target is the healthy host of the
/// group serving the fewest groups already, lowest instance id on a tie. Pure.
/// </summary>
public static class DesiredState
{
    /// <param name="mayMove">Flap damping: whether a group whose current target has the given health may be moved now (null: always).</param>
    public static IReadOnlyList<DesiredRoute> Build(
        IpamPlan plan,
        ClusterSnapshot snapshot,
        IReadOnlyList<RouteTableSnapshot> managedTables,
        Func<InstanceSnapshot, TargetHealth> health,
        Func<GroupKey, TargetHealth, bool>? mayMove = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(managedTables);
        ArgumentNullException.ThrowIfNull(health);
        var instances = snapshot.Instances.ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var networks = plan.Networks.Select(n => n.Cidr).ToList();
        var current = CurrentTargets(managedTables, networks);
        var served = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<DesiredRoute>(plan.Routes.Count);
        foreach (var group in plan.Routes.GroupBy(r => (r.Network, r.Zone, r.Subnet, r.Group)))
        {
            var routes = group.ToList();
            var hosts = routes[0].Hosts.Where(instances.ContainsKey).Select(h => instances[h]).ToList();
            var previous = routes.Select(r => current.GetValueOrDefault(r.Destination)).OfType<string>()
                .GroupBy(e => e).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
            var previousHost = previous is null ? null : hosts.FirstOrDefault(h => h.PrimaryNetworkInterfaceId == previous && !h.IsGone);
            var previousTarget = previous is null ? null : new RouteTarget(previousHost?.InstanceId ?? "?", previous);

            RouteTarget? target;
            TargetChoice choice;
            var previousHealth = previousHost is null ? TargetHealth.Failed : health(previousHost);
            var key = new GroupKey(group.Key.Network, group.Key.Zone, group.Key.Subnet, group.Key.Group);
            if (previousHost is not null && previousHealth == TargetHealth.Healthy)
            {
                (target, choice) = (new RouteTarget(previousHost.InstanceId, previousHost.PrimaryNetworkInterfaceId), TargetChoice.Kept);
            }
            else if (previousTarget is not null && mayMove is not null && !mayMove(key, previousHealth))
            {
                (target, choice) = (previousTarget, TargetChoice.Held);
            }
            else if (hosts.Where(h => !h.IsGone && health(h) == TargetHealth.Healthy)
                         .OrderBy(h => served.GetValueOrDefault(h.InstanceId)).ThenBy(h => h.InstanceId, StringComparer.Ordinal)
                         .FirstOrDefault() is { } chosen)
            {
                (target, choice) = (new RouteTarget(chosen.InstanceId, chosen.PrimaryNetworkInterfaceId), previous is null ? TargetChoice.New : TargetChoice.Failover);
            }
            else
            {
                (target, choice) = (previousTarget, TargetChoice.NoHealthyTarget);
            }

            if (target is not null)
            {
                served[target.InstanceId] = served.GetValueOrDefault(target.InstanceId) + 1;
            }

            result.AddRange(routes.Select(r => new DesiredRoute(r.Destination, r.Network, r.Zone, r.Subnet, r.Group, target, choice, previousTarget)));
        }

        return result;
    }

    /// <summary>Health from EC2 state alone: running is healthy, pending or stopping questionable, the rest failed.</summary>
    public static TargetHealth FromInstanceState(InstanceSnapshot instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.State switch
        {
            InstanceLifecycle.Running => TargetHealth.Healthy,
            InstanceLifecycle.Pending or InstanceLifecycle.Stopping => TargetHealth.Questionable,
            _ => TargetHealth.Failed,
        };
    }

    /// <summary>Per owned destination, the ENI most managed tables point it at (ties: lowest ENI id).</summary>
    private static Dictionary<Cidr, string> CurrentTargets(IReadOnlyList<RouteTableSnapshot> tables, IReadOnlyList<Cidr> networks) =>
        tables.SelectMany(t => t.Routes)
            .Where(r => RouteOwnership.IsOwned(r, networks) && r.NetworkInterfaceId is not null)
            .GroupBy(r => r.DestinationCidr!.Value)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(r => r.NetworkInterfaceId!).OrderByDescending(e => e.Count()).ThenBy(e => e.Key, StringComparer.Ordinal).First().Key);
}
