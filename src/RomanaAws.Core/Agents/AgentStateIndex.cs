using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Core.Agents;

/// <summary>
/// Every node's <see cref="AgentDesiredState"/> from one state document, indexed once: hosts, each host's blocks and
/// group ranges (the group CIDR and its overflow ranges: the routes the group has), each subnet's hosts as peers (one
/// <see cref="PeerBlocks"/> per host, shared by every answer that lists it), and the cluster's blocks by owner (the same
/// for every node, so built once and shared). Building is O(hosts + blocks); an answer is then O(its subnet's hosts).
/// Immutable once built, so any number of threads may ask. Pure.
/// </summary>
public sealed class AgentStateIndex
{
    private readonly Dictionary<string, HostDocument> _hosts;
    private readonly Dictionary<string, List<OwnedBlock>> _blocks;
    private readonly Dictionary<string, List<Cidr>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PeerBlocks>> _subnets;
    private readonly Dictionary<string, IReadOnlyList<Cidr>> _owners;
    private readonly List<string> _networks;
    private readonly Topology.RoutingConfig _routing;

    /// <param name="routing">How groups are advertised (the configured topology's; not stored in the document). Default: the document's topology's.</param>
    public AgentStateIndex(IpamStateDocument document, Topology.RoutingConfig? routing = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        _routing = routing ?? document.Topology.Routing;
        _hosts = document.Hosts.ToDictionary(h => h.InstanceId, StringComparer.Ordinal);
        _blocks = document.Blocks.GroupBy(b => b.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(b => new OwnedBlock(b.Cidr, b.Owner, b.Network)).ToList(), StringComparer.Ordinal);
        foreach (var group in document.Networks.SelectMany(n => n.Zones).SelectMany(z => z.Subnets).SelectMany(s => s.Groups))
        {
            foreach (var host in group.Hosts)
            {
                var ranges = _groups.TryGetValue(host, out var known) ? known : _groups[host] = [];
                ranges.Add(group.Cidr);
                ranges.AddRange(group.Overflow);
            }
        }

        foreach (var ranges in _groups.Values)
        {
            ranges.Sort();
        }

        _subnets = document.Hosts.GroupBy(h => h.Subnet, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.OrderBy(h => h.InstanceId, StringComparer.Ordinal).Select(h => new PeerBlocks(h.InstanceId, h.Ip, BlocksOf(h.InstanceId))).ToList(),
            StringComparer.Ordinal);
        _owners = document.Blocks.GroupBy(b => b.Owner, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Cidr>)g.Select(b => b.Cidr).Order().ToList(), StringComparer.Ordinal);
        _networks = document.Topology.Networks.Select(n => n.Name).ToList();
    }

    /// <summary>What <paramref name="instanceId"/>'s agent must program; null for a host that is not registered.</summary>
    public AgentDesiredState? For(string instanceId)
    {
        if (!_hosts.TryGetValue(instanceId, out var self))
        {
            return null;
        }

        var groups = _groups.TryGetValue(instanceId, out var ranges) ? ranges : [];
        var blocks = BlocksOf(instanceId);
        return new AgentDesiredState
        {
            InstanceId = instanceId,
            Groups = groups,
            Blocks = blocks,
            Peers = _subnets[self.Subnet].Where(p => p.InstanceId != instanceId).ToList(),
            Owners = _owners,
            Networks = _networks,
            Bgp = Routing.Advertisements.Bgp(_routing, self.Subnet, self.Ip, groups, blocks),
            Ospf = Routing.Advertisements.Ospf(_routing, self.Subnet, self.Ip, groups, blocks),
        };
    }

    private List<OwnedBlock> BlocksOf(string instanceId) => _blocks.TryGetValue(instanceId, out var blocks) ? blocks : [];
}
