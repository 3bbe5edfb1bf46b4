using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

public sealed partial class Ipam
{
    private const int MaxListedBreaks = 50;

    /// <summary>
    /// Applies a new topology to the existing state without renumbering anything allocated, and returns the new IPAM
    /// (this one is left untouched). Zones and networks may be added; groupsPerSubnet may change when every host's
    /// blocks fit one of its new groups; exclusions may grow around allocated blocks. A change that would orphan or
    /// move an allocation is refused with a <see cref="TopologyChangeRefusedException"/> listing all it would break.
    /// </summary>
    public Ipam ApplyTopology(TopologyConfig next, out IReadOnlyList<string> changes)
    {
        ArgumentNullException.ThrowIfNull(next);
        var errors = TopologyValidator.Validate(next);
        if (errors.Count > 0)
        {
            throw new ConfigException("topology", errors);
        }

        var breaks = new List<string>();
        var notes = new List<string>();
        var overflow = _networks.Sum(n => n.Groups.Sum(g => g.Ranges.Count - 1));
        if (overflow > 0 && next.MaxRoutesPerTable + overflow > next.RouteBudget)
        {
            breaks.Add($"the state holds {overflow} overflow range(s): up to {next.MaxRoutesPerTable} + {overflow} routes per table would exceed the new budget {next.RouteBudget} (routeLimit {next.RouteLimit} − routeHeadroom {next.RouteHeadroom})");
        }
        var networks = new List<NetworkStateDocument>();
        var document = ToDocument();
        foreach (var network in _networks)
        {
            var nextConfig = next.Networks.FirstOrDefault(n => n.Name == network.Config.Name);
            var blocks = document.Blocks.Where(b => b.Network == network.Config.Name).ToList();
            if (nextConfig is null)
            {
                if (blocks.Count > 0)
                {
                    breaks.Add($"network '{network.Config.Name}' is removed but {blocks.Count} block(s) in it hold pods: {Sample(blocks.Select(b => b.Cidr))}");
                }

                notes.Add($"network '{network.Config.Name}' removed");
                continue;
            }

            networks.Add(MigrateNetwork(network, nextConfig, next, blocks, breaks, notes));
        }

        notes.AddRange(next.Networks.Where(n => _networks.All(o => o.Config.Name != n.Name)).Select(n => $"network '{n.Name}' added ({n.Cidr}); every host placed in it"));
        if (breaks.Count > 0)
        {
            var listed = breaks.Take(MaxListedBreaks).ToList();
            if (breaks.Count > MaxListedBreaks)
            {
                listed.Add($"… and {breaks.Count - MaxListedBreaks} more");
            }

            throw new TopologyChangeRefusedException(listed);
        }

        var names = next.Networks.Select(n => n.Name).ToHashSet();
        var migrated = FromDocument(
            document with { Topology = next, Networks = networks, Blocks = document.Blocks.Where(b => names.Contains(b.Network)).ToList() },
            "topology change",
            migrating: true);
        migrated.CarveConfiguredZones();
        foreach (var host in migrated._hostOrder.Where(h => h.Groups.Any(g => g is null)).ToList())
        {
            migrated.PlaceInNewNetworks(host);
        }

        notes.AddRange(next.Zones?.Where(z => _networks.All(n => n.Find(z.Name) is null)).Select(z => $"zone '{z.Name}' added") ?? []);
        changes = notes;
        return migrated;
    }

    private static string Sample<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return string.Join(", ", list.Take(5)) + (list.Count > 5 ? $", … ({list.Count - 5} more)" : string.Empty);
    }

    private static NetworkStateDocument MigrateNetwork(
        NetworkAllocation network, NetworkConfig nextConfig, TopologyConfig next, List<BlockDocument> blocks, List<string> breaks, List<string> notes)
    {
        var name = network.Config.Name;
        foreach (var outside in network.Taken.Where(c => !nextConfig.Cidr.Contains(c)))
        {
            breaks.Add($"network '{name}': {outside} (a zone aggregate or overflow range) lies outside the new cidr {nextConfig.Cidr}");
        }

        if (nextConfig.BlockMask != network.Config.BlockMask && blocks.Count > 0)
        {
            breaks.Add($"network '{name}': blockMask /{network.Config.BlockMask} → /{nextConfig.BlockMask} would re-cut {blocks.Count} allocated block(s): {Sample(blocks.Select(b => b.Cidr))}");
        }

        foreach (var block in blocks)
        {
            foreach (var range in nextConfig.Exclude.Where(block.Cidr.Overlaps).Where(r => !network.Config.Exclude.Contains(r)))
            {
                breaks.Add($"network '{name}': new excluded range {range} covers allocated block {block.Cidr} ({block.Owner} on {block.Host})");
            }
        }

        var blocksByHost = blocks.ToLookup(b => b.Host, StringComparer.Ordinal);
        var zones = new List<ZoneStateDocument>();
        foreach (var zone in network.Zones)
        {
            var subnets = zone.Slots.OfType<SubnetAllocation>().ToList();
            if (next.Zones is not null && next.Zones.All(z => z.Name != zone.Name))
            {
                breaks.AddRange(subnets.SelectMany(s => s.Groups).SelectMany(g => g.Hosts).Select(h => $"zone '{zone.Name}' is removed but host {h.InstanceId} is in it"));
                notes.Add($"network '{name}': zone '{zone.Name}' removed, {zone.Cidr} is spare again");
                continue;
            }

            if (next.SubnetsPerZone != network.Topology.SubnetsPerZone)
            {
                breaks.AddRange(subnets.Select(s => $"subnetsPerZone {network.Topology.SubnetsPerZone} → {next.SubnetsPerZone} would move subnet {s.SubnetId} (slot {s.Cidr} in zone '{zone.Name}')"));
            }

            zones.Add(new ZoneStateDocument(zone.Name, zone.Cidr, subnets.Select(s => Regroup(s, next, blocksByHost, breaks)).ToList()));
        }

        if (next.GroupsPerSubnet != network.Topology.GroupsPerSubnet && network.Subnets.Any())
        {
            notes.Add($"network '{name}': groupsPerSubnet {network.Topology.GroupsPerSubnet} → {next.GroupsPerSubnet}; hosts regrouped around their blocks");
        }

        return new NetworkStateDocument(name, zones);
    }

    /// <summary>
    /// Re-cuts a subnet slot into the new number of groups. Every host goes to the new group holding all its blocks;
    /// a host without blocks goes to the least-loaded new group overlapping its old one. Blocks never move.
    /// </summary>
    private static SubnetStateDocument Regroup(SubnetAllocation subnet, TopologyConfig next, ILookup<string, BlockDocument> blocksByHost, List<string> breaks)
    {
        var groupPrefix = TopologyLayout.GroupPrefix(next, subnet.Cidr.PrefixLength);
        if (groupPrefix == subnet.Groups[0].Cidr.PrefixLength)
        {
            // Same groups: every host stays where it is, overflow ranges included.
            return new SubnetStateDocument(subnet.SubnetId, subnet.Slot,
                subnet.Groups.Select(g => new GroupStateDocument(g.Cidr, g.Hosts.Select(h => h.InstanceId).ToList(), g.Overflow.ToList())).ToList());
        }

        var cidrs = subnet.Cidr.Split(groupPrefix).ToList();
        var hosts = cidrs.Select(_ => new List<string>()).ToList();
        foreach (var group in subnet.Groups)
        {
            if (group.Overflow.Any() && groupPrefix != group.Cidr.PrefixLength)
            {
                breaks.Add($"group {group.Describe} holds overflow ranges {string.Join(", ", group.Overflow)}; release them before changing groupsPerSubnet");
            }

            foreach (var host in group.Hosts)
            {
                var held = blocksByHost[host.InstanceId].Where(b => group.Ranges.Any(r => r.Contains(b.Cidr))).Select(b => b.Cidr).ToList();
                var homes = held.Select(b => cidrs.FindIndex(c => c.Contains(b))).Where(i => i >= 0).Distinct().ToList();
                if (homes.Count > 1 || (held.Count > 0 && homes.Count == 0))
                {
                    breaks.Add($"host {host.InstanceId} holds blocks {string.Join(", ", held)} that would span groups {string.Join(", ", homes.Select(i => cidrs[i]))} with groupsPerSubnet {next.GroupsPerSubnet}");
                    continue;
                }

                var home = homes.Count == 1
                    ? homes[0]
                    : Enumerable.Range(0, cidrs.Count).Where(i => cidrs[i].Overlaps(group.Cidr)).OrderBy(i => hosts[i].Count).ThenBy(i => i).First();
                hosts[home].Add(host.InstanceId);
            }
        }

        var overflowKept = groupPrefix == subnet.Groups[0].Cidr.PrefixLength;
        return new SubnetStateDocument(
            subnet.SubnetId,
            subnet.Slot,
            cidrs.Select((c, i) => new GroupStateDocument(c, hosts[i], overflowKept ? subnet.Groups[i].Overflow.ToList() : [])).ToList());
    }

    private void PlaceInNewNetworks(HostRecord host)
    {
        foreach (var network in _networks.Where(n => host.Groups[n.Index] is null))
        {
            var zone = network.Find(host.Spec.Zone) ?? AddDiscoveredZone(network, host.Spec.Zone);
            var group = zone.Bind(host.Spec.SubnetId).LeastLoadedGroup();
            group.Hosts.Add(host);
            host.Groups[network.Index] = group;
        }
    }
}
