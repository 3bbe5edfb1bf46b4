using RomanaAws.Core.Ipam;
using RomanaAws.Core.Routing;

namespace RomanaAws.Benchmarks;

/// <summary>The routing benchmark world: the 5,000-host IPAM, its instances, and 20 managed route tables.</summary>
public static class RoutingScenario
{
    public const int Tables = 20;

    public static IReadOnlyList<InstanceSnapshot> Instances(Ipam ipam) =>
        ipam.Hosts.Select(h => new InstanceSnapshot(h.InstanceId, h.Zone, h.SubnetId, "vpc-1", h.PrimaryIp, InstanceLifecycle.Running,
            "eni-" + h.InstanceId[2..], 1, false, new Dictionary<string, string>())).ToList();

    /// <summary>20 tables, each with the local route and 4 foreign routes; converged ones also hold the desired routes.</summary>
    public static IReadOnlyList<RouteTableSnapshot> TablesFor(IReadOnlyList<DesiredRoute> desired, bool converged) =>
        Enumerable.Range(0, Tables).Select(t => new RouteTableSnapshot(
            $"rtb-{t:x17}", "vpc-1", t == 0, [],
            [
                new RouteEntry("172.16.0.0/12", RouteTargetKind.Local, "local", null, null, RouteState.Active, "CreateRouteTable"),
                new RouteEntry("0.0.0.0/0", RouteTargetKind.NatGateway, "nat-1", null, null, RouteState.Active, "CreateRoute"),
                new RouteEntry("10.50.0.0/16", RouteTargetKind.PeeringConnection, "pcx-1", null, null, RouteState.Active, "CreateRoute"),
                new RouteEntry("10.51.0.0/16", RouteTargetKind.TransitGateway, "tgw-1", null, null, RouteState.Active, "CreateRoute"),
                new RouteEntry("10.99.0.0/16", RouteTargetKind.NetworkInterface, null, "i-bastion", "eni-bastion", RouteState.Active, "CreateRoute"),
                .. converged
                    ? desired.Select(d => new RouteEntry(d.Destination.ToString(), RouteTargetKind.NetworkInterface, null, d.Target!.InstanceId, d.Target.NetworkInterfaceId, RouteState.Active, "CreateRoute"))
                    : [],
            ],
            new Dictionary<string, string>())).ToList();
}
