using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Routing;

/// <summary>
/// Where a BGP advertisement is decided (routing mode bgp): a node announces the ranges of its group (the group CIDR of
/// each network and the group's overflow ranges), so every non-empty group is one prefix at the router whatever its
/// number of hosts, each host a next hop (ECMP). Never a pod, never a block unless <c>advertiseBlocks</c> asks for the
/// node's own blocks too. Pure.
/// </summary>
public static class BgpAdvertisements
{
    /// <param name="groupRanges">The node's group CIDRs and overflow ranges.</param>
    /// <returns>Null in vpc mode, or for a host in no configured rack (it has no routers to announce to).</returns>
    public static BgpAdvertisement? For(RoutingConfig routing, string rack, string ip, IReadOnlyList<Cidr> groupRanges, IReadOnlyList<OwnedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(groupRanges);
        ArgumentNullException.ThrowIfNull(blocks);
        if (routing.Mode != RoutingMode.Bgp || routing.Rack(rack) is not { } config)
        {
            return null;
        }

        IEnumerable<Cidr> prefixes = groupRanges;
        if (routing.AdvertiseBlocks)
        {
            prefixes = prefixes.Concat(blocks.Select(b => b.Cidr));
        }

        return new BgpAdvertisement
        {
            Rack = rack,
            LocalAsn = routing.Asn,
            RouterId = ip,
            Prefixes = prefixes.Distinct().Order().ToList(),
            Neighbors = config.Peers.Select(p => new BgpNeighbor(p.Address.ToString(), p.Asn, p.PasswordFile, p.Bfd)).ToList(),
            HoldSeconds = routing.HoldSeconds,
            KeepaliveSeconds = routing.KeepaliveSeconds,
            GracefulRestart = routing.GracefulRestart,
            RestartSeconds = routing.RestartSeconds,
            ImportRoutes = routing.ImportRoutes,
            BfdIntervalMs = routing.BfdIntervalMs,
            BfdMultiplier = routing.BfdMultiplier,
        };
    }
}
