using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Routing;

/// <summary>
/// Routing mode bgp: the configured hosts as the snapshot a reconcile pass registers hosts from, in place of EC2's
/// DescribeInstances. Each is running (a host that dies is withdrawn by BGP, not by the controller), in its rack's
/// zone and subnet, with no VPC and no ENI: no route is planned for it and no EC2 call is made. Pure.
/// </summary>
public static class RackInstances
{
    public static IReadOnlyList<InstanceSnapshot> Of(RoutingConfig routing) =>
        RackHosts.Specs(routing)
            .Select(h => new InstanceSnapshot(h.InstanceId, h.Zone, h.SubnetId, string.Empty, h.PrimaryIp, InstanceLifecycle.Running, string.Empty, 1, false, new Dictionary<string, string>()))
            .ToList();

    /// <summary>The view of a bgp-mode pass: the configured hosts, no VPC, no tables, nothing wrong with either.</summary>
    public static ClusterView View(RoutingConfig routing, DateTimeOffset takenAt) =>
        new(new ClusterSnapshot(Of(routing), [], takenAt), null, TableSelection.None, []);
}
