using RomanaAws.Core.Net;

namespace RomanaAws.Core.Agents;

/// <summary>
/// What one node's BIRD announces into OSPF (routing mode ospf; see docs/bgp.md): the node's group aggregates as
/// external routes, on the rack's segment, in the rack's area. Decided by <see cref="Routing.Advertisements"/>.
/// </summary>
public sealed record OspfAdvertisement
{
    public required string Rack { get; init; }

    /// <summary>The rack's OSPF area (dotted quad).</summary>
    public required string Area { get; init; }

    /// <summary>The rack's segment: OSPF runs on the node's interface in it, and on no other (never a pod's veth).</summary>
    public required Cidr Segment { get; init; }

    public required string RouterId { get; init; }

    public required IReadOnlyList<Cidr> Prefixes { get; init; }

    public required int HelloSeconds { get; init; }

    public required int DeadSeconds { get; init; }

    public bool Bfd { get; init; }

    public int BfdIntervalMs { get; init; }

    public int BfdMultiplier { get; init; }

    public bool ImportRoutes { get; init; }
}
