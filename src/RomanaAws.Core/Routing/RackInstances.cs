using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Routing;

/// <summary>
/// Routing modes bgp and ospf: the configured hosts and the Kubernetes Nodes in a rack as the snapshot a reconcile pass registers hosts from, in place of EC2's
/// DescribeInstances. Each is running (a host that dies is withdrawn by BGP, not by the controller), in its rack's
/// zone and subnet, with no VPC and no ENI: no route is planned for it and no EC2 call is made. Pure.
/// </summary>
public static class RackInstances
{
    /// <param name="nodes">Kubernetes Nodes (name, InternalIP): each one in a rack's CIDR is a host too, unless the
    /// configuration lists its name or address already (the configuration wins). Nodes in no rack are left out.</param>
    public static IReadOnlyList<InstanceSnapshot> Of(RoutingConfig routing, IReadOnlyList<NamedHost>? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var hosts = RackHosts.Specs(routing).ToList();
        foreach (var node in nodes ?? [])
        {
            if (routing.RackOf(node.Ip) is { } rack && Ipam.Ipam.IsHostId(node.Name)
                && !hosts.Any(h => h.InstanceId == node.Name || h.PrimaryIp.Equals(node.Ip)))
            {
                hosts.Add(new HostSpec(node.Name, rack.Zone, rack.Name, node.Ip));
            }
        }

        return hosts
            .Select(h => new InstanceSnapshot(h.InstanceId, h.Zone, h.SubnetId, string.Empty, h.PrimaryIp, InstanceLifecycle.Running, string.Empty, 1, false, new Dictionary<string, string>()))
            .ToList();
    }

    /// <summary>The view of a bgp- or ospf-mode pass: the hosts, no VPC, no tables, nothing wrong with either.</summary>
    public static ClusterView View(RoutingConfig routing, DateTimeOffset takenAt, IReadOnlyList<NamedHost>? nodes = null) =>
        new(new ClusterSnapshot(Of(routing, nodes), [], takenAt), null, TableSelection.None, []);
}
