using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>One managed route as an operator sees it: where it leads in the topology and whether it is as desired.</summary>
public sealed record RouteView(
    string Destination,
    string? Network,
    string? Zone,
    string? SubnetId,
    int? Group,
    string? TargetInstance,
    string? TargetEni,
    RouteState State,
    TargetHealth? TargetHealth,
    string? DesiredInstance,
    bool InSync,
    RouteStatus Status)
{
    /// <summary>Whether the route is in the table (every status but <see cref="RouteStatus.Missing"/>).</summary>
    public bool Exists => Status != RouteStatus.Missing;
}

/// <summary>One managed table: its routes, the foreign routes it holds, and its budget (e.g. "7/50 (headroom 5)").</summary>
public sealed record TableView(string RouteTableId, bool IsMain, IReadOnlyList<string> Subnets, IReadOnlyList<RouteView> Routes, int ForeignRoutes, int RouteLimit, int RouteHeadroom)
{
    public int Used => Routes.Count(r => r.Exists) + ForeignRoutes;

    public string Budget => $"{Used}/{RouteLimit} (headroom {RouteHeadroom})";

    public bool InSync => Routes.All(r => r.InSync);
}

/// <summary>Joins live tables with the desired routes and the IPAM's topology: what <c>romana-aws routes</c> and <c>/v1/routes</c> show. Pure.</summary>
public static class RouteReport
{
    public static IReadOnlyList<TableView> Build(
        IReadOnlyList<DesiredRoute> desired,
        IReadOnlyList<RouteTableSnapshot> tables,
        IReadOnlyList<Cidr> networks,
        IReadOnlyList<InstanceSnapshot> instances,
        Func<InstanceSnapshot, TargetHealth> health,
        int routeLimit,
        int routeHeadroom)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(health);
        var byEni = instances.Where(i => !i.IsGone).GroupBy(i => i.PrimaryNetworkInterfaceId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var wanted = desired.GroupBy(d => d.Destination).ToDictionary(g => g.Key, g => g.First());
        return tables.OrderBy(t => t.RouteTableId, StringComparer.Ordinal).Select(table =>
        {
            var owned = table.Routes.Where(r => RouteOwnership.IsOwned(r, networks)).ToList();
            var views = owned.Select(r => View(r, wanted.GetValueOrDefault(r.DestinationCidr!.Value), byEni, health)).ToList();
            views.AddRange(desired.Where(d => d.Target is not null && owned.All(r => r.DestinationCidr != d.Destination) && !HeldByForeign(table, d, networks))
                .Select(d => new RouteView(d.Destination.ToString(), d.Network, d.Zone, d.SubnetId, d.Group, null, null, RouteState.Blackhole, null, d.Target!.InstanceId, false, RouteStatus.Missing)));
            return new TableView(table.RouteTableId, table.IsMain, table.Subnets, views.OrderBy(v => Cidr.TryParse(v.Destination, out var c) ? c : default).ThenBy(v => v.Destination, StringComparer.Ordinal).ToList(), table.Routes.Count - owned.Count, routeLimit, routeHeadroom);
        }).ToList();
    }

    private static bool HeldByForeign(RouteTableSnapshot table, DesiredRoute route, IReadOnlyList<Cidr> networks) =>
        table.Routes.Any(r => r.DestinationCidr == route.Destination && !RouteOwnership.IsOwned(r, networks));

    private static RouteView View(RouteEntry route, DesiredRoute? want, Dictionary<string, InstanceSnapshot> byEni, Func<InstanceSnapshot, TargetHealth> health)
    {
        var target = route.NetworkInterfaceId is { } eni ? byEni.GetValueOrDefault(eni) : null;
        var inSync = want?.Target is { } t && t.NetworkInterfaceId == route.NetworkInterfaceId && route.State == RouteState.Active;
        var status = want is null ? RouteStatus.Stale
            : want.Target is null ? RouteStatus.NoHealthyTarget
            : !inSync && route.State == RouteState.Blackhole ? RouteStatus.Blackhole
            : inSync ? RouteStatus.Ok : RouteStatus.WrongTarget;
        return new RouteView(
            route.Destination, want?.Network, want?.Zone, want?.SubnetId, want?.Group,
            target?.InstanceId ?? route.InstanceId, route.NetworkInterfaceId, route.State,
            target is null ? null : health(target), want?.Target?.InstanceId, inSync, status);
    }
}
