using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Routing;

/// <summary>
/// Where a node's advertisement is decided (routing modes bgp and ospf): a node announces the ranges of its group (the
/// group CIDR of each network and the group's overflow ranges), so every non-empty group is one prefix at the router
/// whatever its number of hosts, each host a next hop (ECMP). Never a pod, never a block unless <c>advertiseBlocks</c>
/// asks for the node's own blocks too. Pure.
/// </summary>
public static class Advertisements
{
    /// <param name="groupRanges">The node's group CIDRs and overflow ranges.</param>
    /// <returns>Null in vpc mode, or for a host in no configured rack (it has no routers to announce to).</returns>
    public static BgpAdvertisement? Bgp(RoutingConfig routing, string rack, string ip, IReadOnlyList<Cidr> groupRanges, IReadOnlyList<OwnedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(groupRanges);
        ArgumentNullException.ThrowIfNull(blocks);
        if (routing.Mode != RoutingMode.Bgp || routing.Rack(rack) is not { } config)
        {
            return null;
        }

        return new BgpAdvertisement
        {
            Rack = rack,
            LocalAsn = routing.Asn,
            RouterId = ip,
            Prefixes = Prefixes(routing, groupRanges, blocks),
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

    /// <returns>Null unless mode ospf, or for a host in no configured rack.</returns>
    public static OspfAdvertisement? Ospf(RoutingConfig routing, string rack, string ip, IReadOnlyList<Cidr> groupRanges, IReadOnlyList<OwnedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(routing);
        if (routing.Mode != RoutingMode.Ospf || routing.Rack(rack) is not { } config)
        {
            return null;
        }

        return new OspfAdvertisement
        {
            Rack = rack,
            Area = config.Area,
            Segment = config.Cidr,
            RouterId = ip,
            Prefixes = Prefixes(routing, groupRanges, blocks),
            HelloSeconds = routing.HelloSeconds,
            DeadSeconds = routing.DeadSeconds,
            Bfd = routing.Bfd,
            BfdIntervalMs = routing.BfdIntervalMs,
            BfdMultiplier = routing.BfdMultiplier,
            ImportRoutes = routing.ImportRoutes,
        };
    }

    private static List<Cidr> Prefixes(RoutingConfig routing, IReadOnlyList<Cidr> groupRanges, IReadOnlyList<OwnedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(groupRanges);
        ArgumentNullException.ThrowIfNull(blocks);
        IEnumerable<Cidr> prefixes = groupRanges;
        if (routing.AdvertiseBlocks)
        {
            prefixes = prefixes.Concat(blocks.Select(b => b.Cidr));
        }

        return prefixes.Distinct().Order().ToList();
    }
}
