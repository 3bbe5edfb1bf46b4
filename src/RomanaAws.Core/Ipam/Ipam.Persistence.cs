using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

public sealed partial class Ipam
{
    /// <summary>The whole state as a document (hosts in arrival order, blocks by network and address).</summary>
    public IpamStateDocument ToDocument(long revision = 0) => new()
    {
        Revision = revision,
        Topology = Topology,
        Networks = _networks.Select(n => new NetworkStateDocument(
            n.Config.Name,
            n.Zones.Select(z => new ZoneStateDocument(
                z.Name,
                z.Cidr,
                z.Slots.OfType<SubnetAllocation>().Select(s => new SubnetStateDocument(
                    s.SubnetId,
                    s.Slot,
                    s.Groups.Select(g => new GroupStateDocument(g.Cidr, g.Hosts.Select(h => h.InstanceId).ToList(), g.Overflow.ToList())).ToList())).ToList())).ToList())).ToList(),
        Hosts = _hostOrder.Select(h => new HostDocument(h.InstanceId, h.Spec.Zone, h.Spec.SubnetId, h.Spec.PrimaryIp.ToString())).ToList(),
        Blocks = _hostOrder
            .SelectMany(h => h.AllBlocks)
            .OrderBy(b => b.Group.Subnet.Zone.Network.Index).ThenBy(b => b.Cidr)
            .Select(b => new BlockDocument(b.Group.Subnet.Zone.Network.Config.Name, b.Cidr, b.Host.InstanceId, b.Owner, TrimFree(b.Pods), b.Claimed ? b.Used : null))
            .ToList(),
    };

    /// <summary>Pods by offset, without the free offsets after the last used one (they are implied).</summary>
    private static string?[] TrimFree(ReadOnlySpan<string?> pods)
    {
        var length = pods.Length;
        while (length > 0 && pods[length - 1] is null)
        {
            length--;
        }

        return pods[..length].ToArray();
    }

    /// <summary>
    /// Rebuilds an IPAM from a document, checking every invariant; any inconsistency is an
    /// <see cref="IpamStateException"/> naming <paramref name="source"/> and the offending entry.
    /// </summary>
    public static Ipam FromDocument(IpamStateDocument document, string source) => FromDocument(document, source, migrating: false);

    /// <param name="migrating">True while applying a topology change: hosts may still lack a group in a network just added.</param>
    private static Ipam FromDocument(IpamStateDocument document, string source, bool migrating)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            return Load(document, source, migrating);
        }
        catch (Exception ex) when (ex is IpamException or ArgumentException or InvalidOperationException && ex is not IpamStateException)
        {
            throw new IpamStateException($"{source}: inconsistent state: {ex.Message}", ex);
        }
    }

    private static Ipam Load(IpamStateDocument document, string source, bool migrating)
    {
        if (document.Schema != IpamStateDocument.SchemaName || document.SchemaVersion is < IpamStateDocument.OldestSchemaVersion or > IpamStateDocument.CurrentSchemaVersion)
        {
            throw new IpamStateException($"{source}: schema '{Cap(document.Schema)}' version {document.SchemaVersion} is not '{IpamStateDocument.SchemaName}' version {IpamStateDocument.OldestSchemaVersion} to {IpamStateDocument.CurrentSchemaVersion}");
        }

        if (document.Revision < 0)
        {
            throw new IpamStateException($"{source}: revision {document.Revision} is negative; revisions count saves from 0");
        }

        if (NullItem(document) is { } nullPath)
        {
            // System.Text.Json enforces nullability of properties, not of list items: checked here (found by fuzzing).
            throw new IpamStateException($"{source}: {nullPath} is null; every item of a list must be an object or value");
        }

        var errors = TopologyValidator.Validate(document.Topology);
        if (errors.Count > 0)
        {
            throw new IpamStateException($"{source}: the topology stored in the state is invalid: {string.Join("; ", errors)}");
        }

        var ipam = new Ipam(document.Topology);
        ipam._pods.EnsureCapacity(document.Blocks.Sum(b => b.Pods.Count));
        ipam._hosts.EnsureCapacity(document.Hosts.Count);
        var groupOfHost = new Dictionary<(int Network, string Host), GroupAllocation>();
        foreach (var networkDoc in document.Networks)
        {
            var network = ipam._networks.FirstOrDefault(n => n.Config.Name == networkDoc.Name)
                ?? throw new IpamStateException($"{source}: network '{networkDoc.Name}' is not in the stored topology");
            if (network.Zones.Count > 0)
            {
                throw new IpamStateException($"{source}: network '{networkDoc.Name}' appears twice");
            }

            foreach (var zoneDoc in networkDoc.Zones)
            {
                ipam.CheckZoneName(network, zoneDoc.Name, source, migrating);
                LoadZone(network, zoneDoc, groupOfHost, source);
            }

            // A subnet lies in exactly one Availability Zone (AddHost refuses a second one; a file must not hold it either).
            if (network.Zones.SelectMany(z => z.Slots.OfType<SubnetAllocation>()).GroupBy(x => x.SubnetId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new IpamStateException($"{source}: network '{network.Config.Name}' subnet {twice.Key} is bound in zones {string.Join(" and ", twice.Select(x => $"'{x.Zone.Name}'"))}; a subnet lies in exactly one zone");
            }
        }

        if (!migrating && ipam.Topology.Zones is { } listed)
        {
            foreach (var network in ipam._networks)
            {
                if (listed.FirstOrDefault(z => network.Find(z.Name) is null) is { } missing)
                {
                    throw new IpamStateException($"{source}: zone '{Cap(missing.Name)}' of the stored topology has no aggregate in network '{network.Config.Name}'; every listed zone is carved in every network");
                }
            }
        }

        foreach (var hostDoc in document.Hosts)
        {
            ipam.LoadHost(hostDoc, groupOfHost, source, migrating);
        }

        if (groupOfHost.Keys.FirstOrDefault(k => !ipam._hosts.ContainsKey(k.Host)) is { Host: not null } stray)
        {
            throw new IpamStateException($"{source}: group {groupOfHost[stray].Describe} lists host {stray.Host}, which is not in hosts");
        }

        var validOwners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var blockDoc in document.Blocks)
        {
            ipam.LoadBlock(blockDoc, validOwners, source);
        }

        return ipam;
    }

    /// <summary>A stored zone name: not empty, listed in the stored topology (or, for discovered zones, within maxZones).</summary>
    private void CheckZoneName(NetworkAllocation network, string name, string source, bool migrating)
    {
        var where = $"{source}: network '{network.Config.Name}' zone '{Cap(name)}'";
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new IpamStateException($"{where} has an empty name");
        }

        if (Topology.Zones is { } listed)
        {
            if (listed.All(z => z.Name != name))
            {
                throw new IpamStateException($"{where} is not in the stored topology (zones: {string.Join(", ", listed.Select(z => z.Name))})");
            }
        }
        else if (!migrating && network.Zones.Count >= Topology.MaxZones)
        {
            throw new IpamStateException($"{where} would be zone number {network.Zones.Count + 1}, but maxZones is {Topology.MaxZones}");
        }
    }

    /// <summary>A stored value for an error message: at most 64 characters.</summary>
    private static string Cap(string? value) => value is null ? "null" : Echo.Cap(value, 64);

    private static void LoadZone(NetworkAllocation network, ZoneStateDocument zoneDoc, Dictionary<(int, string), GroupAllocation> groupOfHost, string source)
    {
        if (!network.Config.Cidr.Contains(zoneDoc.Cidr) || network.Taken.Any(zoneDoc.Cidr.Overlaps) || network.Find(zoneDoc.Name) is not null)
        {
            throw new IpamStateException($"{source}: zone '{zoneDoc.Name}' aggregate {zoneDoc.Cidr} is outside network '{network.Config.Name}' ({network.Config.Cidr}), overlaps another, or is listed twice");
        }

        var groupPrefix = TopologyLayout.GroupPrefix(network.Topology, TopologyLayout.SubnetPrefix(network.Topology, zoneDoc.Cidr.PrefixLength));
        if (groupPrefix > network.Config.BlockMask)
        {
            throw new IpamStateException($"{source}: zone '{zoneDoc.Name}' aggregate {zoneDoc.Cidr} is too small for its subnet slots and groups (groups of /{groupPrefix} cannot hold a /{network.Config.BlockMask} block)");
        }

        var zone = new ZoneAllocation(network, zoneDoc.Name, zoneDoc.Cidr);
        network.Zones.Add(zone);
        foreach (var subnetDoc in zoneDoc.Subnets)
        {
            if (!IsSubnetId(subnetDoc.Id))
            {
                throw new IpamStateException($"{source}: zone '{zone.Name}' subnet '{Cap(subnetDoc.Id)}' must look like subnet-0123456789abcdef0 (subnet- and 8 or 17 hex digits) or be a rack name");
            }

            if (subnetDoc.Slot < 0 || subnetDoc.Slot >= zone.Slots.Length || zone.Slots[subnetDoc.Slot] is not null || zone.Find(subnetDoc.Id) is not null)
            {
                throw new IpamStateException($"{source}: zone '{zone.Name}' subnet {subnetDoc.Id} slot {subnetDoc.Slot} is out of range (0–{zone.Slots.Length - 1}) or taken twice");
            }

            var subnet = new SubnetAllocation(zone, subnetDoc.Slot, subnetDoc.Id);
            zone.Slots[subnetDoc.Slot] = subnet;
            if (subnetDoc.Groups.Count != subnet.Groups.Length)
            {
                throw new IpamStateException($"{source}: subnet {subnetDoc.Id} lists {subnetDoc.Groups.Count} groups; the topology gives {subnet.Groups.Length}");
            }

            for (var g = 0; g < subnet.Groups.Length; g++)
            {
                var group = subnet.Groups[g];
                var groupDoc = subnetDoc.Groups[g];
                if (groupDoc.Cidr != group.Cidr)
                {
                    throw new IpamStateException($"{source}: subnet {subnetDoc.Id} group {g} is stored as {groupDoc.Cidr}; the topology gives {group.Cidr}");
                }

                foreach (var range in groupDoc.Overflow)
                {
                    if (range.PrefixLength != group.Cidr.PrefixLength || !network.Config.Cidr.Contains(range) || network.Taken.Any(range.Overlaps))
                    {
                        throw new IpamStateException($"{source}: overflow range {range} of group {group.Describe} is not a free /{group.Cidr.PrefixLength} of network {network.Config.Cidr}");
                    }

                    group.AddRange(range);
                }

                foreach (var host in groupDoc.Hosts)
                {
                    if (!groupOfHost.TryAdd((network.Index, host), group))
                    {
                        throw new IpamStateException($"{source}: host {host} is listed in two groups of network '{network.Config.Name}'");
                    }
                }
            }
        }
    }

    private void LoadHost(HostDocument hostDoc, Dictionary<(int, string), GroupAllocation> groupOfHost, string source, bool migrating)
    {
        if (!Cidr.TryParseAddress(hostDoc.Ip, out var ip))
        {
            throw new IpamStateException($"{source}: host {hostDoc.InstanceId} has an invalid IP '{hostDoc.Ip}'");
        }

        var spec = new HostSpec(hostDoc.InstanceId, hostDoc.Zone, hostDoc.Subnet, ip);
        ValidateHost(spec);
        if (_hosts.ContainsKey(spec.InstanceId) || _hostIps.ContainsKey(spec.PrimaryIp))
        {
            throw new IpamStateException($"{source}: host {spec.InstanceId} ({spec.PrimaryIp}) is listed twice, or its IP belongs to another host");
        }

        var record = new HostRecord(spec, _networks.Length);
        foreach (var network in _networks)
        {
            if (!groupOfHost.TryGetValue((network.Index, spec.InstanceId), out var group))
            {
                if (migrating)
                {
                    continue;
                }

                throw new IpamStateException($"{source}: host {spec.InstanceId} is in no group of network '{network.Config.Name}'");
            }

            if (group.Subnet.Zone.Name != spec.Zone || group.Subnet.SubnetId != spec.SubnetId)
            {
                throw new IpamStateException($"{source}: host {spec.InstanceId} ({spec.Zone}, {spec.SubnetId}) is listed in group {group.Describe}");
            }

            group.Hosts.Add(record);
            record.Groups[network.Index] = group;
        }

        Register(record);
    }

    private void LoadBlock(BlockDocument blockDoc, HashSet<string> validOwners, string source)
    {
        var net = NetworkIndex(blockDoc.Network);
        if (!_hosts.TryGetValue(blockDoc.Host, out var host))
        {
            throw new IpamStateException($"{source}: block {blockDoc.Cidr} belongs to unknown host {blockDoc.Host}");
        }

        if (validOwners.Add(blockDoc.Owner))
        {
            ValidateOwner(blockDoc.Owner);
        }

        var group = host.Groups[net]
            ?? throw new IpamStateException($"{source}: block {blockDoc.Cidr} of host {host.InstanceId} is in network '{Cap(blockDoc.Network)}', where the host has no group");
        var index = group.IndexOf(blockDoc.Cidr);
        if (index < 0)
        {
            throw new IpamStateException($"{source}: block {blockDoc.Cidr} of host {host.InstanceId} is not a /{_networks[net].Config.BlockMask} inside its group {group.Describe}");
        }

        if (!group.TakeAt(index))
        {
            throw new IpamStateException($"{source}: block {blockDoc.Cidr} is listed twice or lies in an excluded range");
        }

        // No pods listed: a block claimed by its host's agent, which reports only how many addresses it holds.
        var block = new BlockAllocation(group, index, host, blockDoc.Owner, claimed: blockDoc.Pods.Count == 0);
        if (blockDoc.Pods.Count > block.Capacity || (blockDoc.Pods.Count > 0 && blockDoc.Pods[^1] is null))
        {
            throw new IpamStateException($"{source}: block {blockDoc.Cidr} lists {blockDoc.Pods.Count} pod slots; expected 0 (a claimed block) to {block.Capacity}, the last one used");
        }

        if (block.Claimed)
        {
            if (blockDoc.Used is < 0 || blockDoc.Used > block.Capacity)
            {
                throw new IpamStateException($"{source}: block {blockDoc.Cidr} used {blockDoc.Used} must be 0 to {block.Capacity}");
            }

            block.Report(blockDoc.Used ?? 0);
        }

        for (var offset = 0; offset < blockDoc.Pods.Count; offset++)
        {
            if (blockDoc.Pods[offset] is not { } key)
            {
                continue;
            }

            if (key.Length is 0 or > MaxPodKeyLength)
            {
                throw new IpamStateException($"{source}: block {blockDoc.Cidr} offset {offset}: pod key '{Cap(key)}' must be 1–{MaxPodKeyLength} characters");
            }

            if (!_pods.TryAdd(key, new PodSlot(block, offset)))
            {
                throw new IpamStateException($"{source}: pod key '{key}' holds two addresses");
            }

            block.Put(offset, key);
        }

        if (!block.Claimed && blockDoc.Used is { } stated && stated != block.Used)
        {
            throw new IpamStateException($"{source}: block {blockDoc.Cidr} used {stated} does not match its {block.Used} listed pod(s); a block that lists pods counts them");
        }

        var ownerKey = (net, blockDoc.Owner);
        if (!host.Blocks.TryGetValue(ownerKey, out var list))
        {
            list = [];
            host.Blocks.Add(ownerKey, list);
        }

        InsertByIndex(list, block);
    }

    /// <summary>The path of the first null list item in a document, or null when there is none.</summary>
    private static string? NullItem(IpamStateDocument document)
    {
        static string? First<T>(IReadOnlyList<T?>? items, string path) =>
            items is null ? null : items.Select((item, i) => (item, i)).Where(x => x.item is null).Select(x => $"{path}[{x.i}]").FirstOrDefault();

        return First(document.Topology.Networks, "topology.networks")
            ?? First(document.Topology.Zones, "topology.zones")
            ?? First(document.Networks, "networks")
            ?? document.Networks.Select((n, i) => First(n.Zones, $"networks[{i}].zones")
                ?? n.Zones.Select((z, j) => First(z.Subnets, $"networks[{i}].zones[{j}].subnets")
                    ?? z.Subnets.Select((sub, k) => First(sub.Groups, $"networks[{i}].zones[{j}].subnets[{k}].groups")
                        ?? sub.Groups.Select((g, l) => First(g.Hosts, $"networks[{i}].zones[{j}].subnets[{k}].groups[{l}].hosts")).FirstOrDefault(p => p is not null))
                    .FirstOrDefault(p => p is not null)).FirstOrDefault(p => p is not null)).FirstOrDefault(p => p is not null)
            ?? First(document.Hosts, "hosts")
            ?? First(document.Blocks, "blocks");
    }
}
