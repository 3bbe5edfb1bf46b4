using RomanaAws.Core.Net;

namespace RomanaAws.Core.Topology;

/// <summary>One rack or L2 segment: a subnet of the topology (its name is the subnet's id in the IPAM), the zone it lies in, and its routers.</summary>
public sealed record RackConfig
{
    public required string Name { get; init; }

    /// <summary>The hosts' addresses (the segment's CIDR).</summary>
    public required Cidr Cidr { get; init; }

    public required string Zone { get; init; }

    /// <summary>BGP: the routers the rack's hosts peer with (empty in ospf mode).</summary>
    public required IReadOnlyList<BgpPeerConfig> Peers { get; init; }

    /// <summary>OSPF: the rack's area (dotted quad); by default 0.0.0.N for the Nth rack listed.</summary>
    public string Area { get; init; } = "0.0.0.0";
}
