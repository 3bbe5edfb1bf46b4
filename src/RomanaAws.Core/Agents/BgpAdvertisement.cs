using RomanaAws.Core.Net;

namespace RomanaAws.Core.Agents;

/// <summary>
/// What one node's BIRD must announce, and to whom (routing mode bgp; see docs/bgp.md): the node's group aggregates
/// (one per network, plus overflow ranges; its own blocks too with <c>advertiseBlocks</c>), with the node as next hop,
/// to every router of its rack. Decided by <see cref="Routing.Advertisements"/>; rendered by the agent.
/// </summary>
public sealed record BgpAdvertisement
{
    /// <summary>The rack (the host's subnet).</summary>
    public required string Rack { get; init; }

    public required long LocalAsn { get; init; }

    /// <summary>BGP router id and next hop: the node's address.</summary>
    public required string RouterId { get; init; }

    /// <summary>Exactly the prefixes exported; nothing else leaves the node.</summary>
    public required IReadOnlyList<Cidr> Prefixes { get; init; }

    public required IReadOnlyList<BgpNeighbor> Neighbors { get; init; }

    public required int HoldSeconds { get; init; }

    public required int KeepaliveSeconds { get; init; }

    public bool GracefulRestart { get; init; }

    public int RestartSeconds { get; init; }

    /// <summary>Learn the routers' routes into the kernel; off: nothing is imported.</summary>
    public bool ImportRoutes { get; init; }

    public int BfdIntervalMs { get; init; }

    public int BfdMultiplier { get; init; }
}

/// <summary>One router the node peers with.</summary>
/// <param name="PasswordFile">File on the node holding the TCP MD5 password; null for none.</param>
public sealed record BgpNeighbor(string Address, long Asn, string? PasswordFile, bool Bfd);
