using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// Routing mode bgp: the hosts the configuration lists, as the IPAM registers them. A host's rack is the one whose
/// CIDR holds its address; the rack is its subnet and the rack's zone its zone. Pure.
/// </summary>
public static class RackHosts
{
    public static IReadOnlyList<HostSpec> Specs(RoutingConfig routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        return routing.Hosts
            .Select(h => (Host: h, Rack: routing.RackOf(h.Ip)))
            .Where(x => x.Rack is not null)
            .Select(x => new HostSpec(x.Host.Name, x.Rack!.Zone, x.Rack.Name, x.Host.Ip))
            .ToList();
    }
}
