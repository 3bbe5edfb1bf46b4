using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>
/// THE ownership rule, in one place: a route belongs to RomanaAws only if its destination lies inside a managed pod
/// network CIDR and its target is an instance or a network interface. Everything else in a table (the local route,
/// internet and NAT gateway routes, peering, VPN-propagated, endpoints, and instance routes to other destinations —
/// a NAT instance's default route, say) is never created, replaced or deleted by the controller.
/// </summary>
public static class RouteOwnership
{
    public static bool IsOwned(RouteEntry route, IReadOnlyList<Cidr> managedNetworks)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(managedNetworks);
        return route.TargetKind is RouteTargetKind.Instance or RouteTargetKind.NetworkInterface
            && route.Origin != "CreateRouteTable"
            && route.DestinationCidr is { } destination
            && managedNetworks.Any(n => n.Contains(destination));
    }
}
