using System.Text.RegularExpressions;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

public sealed partial class Ipam
{
    private const int MaxPodKeyLength = 253;

    /// <summary>Where a pod's address lives: a block and an offset in it.</summary>
    private readonly record struct PodSlot(BlockAllocation Block, int Offset);

    /// <summary>
    /// Gives <paramref name="podKey"/> an address from a block of (<paramref name="instanceId"/>, <paramref name="owner"/>)
    /// in <paramref name="network"/> (the first network when null). Idempotent: the same key gets the same address back.
    /// A new block is taken from the host's group, lowest first, when the owner's blocks are full.
    /// </summary>
    public PodAddress Allocate(string podKey, string instanceId, string owner, string? network = null)
    {
        if (string.IsNullOrEmpty(podKey) || podKey.Length > MaxPodKeyLength)
        {
            throw new IpamException($"pod key '{podKey}' must be 1–{MaxPodKeyLength} characters (for example namespace/pod-name)");
        }

        var net = NetworkIndex(network);
        if (_pods.TryGetValue(podKey, out var held))
        {
            var block = held.Block;
            return block.Host.InstanceId == instanceId && block.Owner == owner && block.Group.Subnet.Zone.Network.Index == net
                ? ToAddress(podKey, held)
                : throw new IpamException($"pod key '{podKey}' already holds {block.Cidr.AddressAt((UInt128)held.Offset)} on host {block.Host.InstanceId} for owner '{block.Owner}'; release it first");
        }

        if (!_hosts.TryGetValue(instanceId, out var host))
        {
            throw new IpamException($"host {instanceId} is not registered; add the host before allocating addresses on it");
        }

        var key = (net, owner);
        if (!host.Blocks.TryGetValue(key, out var blocks))
        {
            ValidateOwner(owner);
            blocks = [];
            host.Blocks.Add(key, blocks);
        }

        foreach (var block in blocks)
        {
            // A claimed block's addresses belong to the host's agent, not to pod keys here.
            if (!block.Claimed && !block.IsFull)
            {
                return Commit(podKey, block, block.Take(podKey));
            }
        }

        BlockAllocation fresh;
        try
        {
            fresh = TakeBlock(host, host.Groups[net]!, owner);
        }
        catch (IpamException) when (blocks.Count == 0)
        {
            host.Blocks.Remove(key);
            throw;
        }

        InsertByIndex(blocks, fresh);
        return Commit(podKey, fresh, fresh.Take(podKey));
    }

    /// <summary>Keeps an owner's blocks in group order, so the lowest block with room is used first, after a reload too.</summary>
    private static void InsertByIndex(List<BlockAllocation> blocks, BlockAllocation block)
    {
        var at = blocks.Count;
        while (at > 0 && blocks[at - 1].Index > block.Index)
        {
            at--;
        }

        blocks.Insert(at, block);
    }

    private PodAddress Commit(string podKey, BlockAllocation block, int offset)
    {
        var slot = new PodSlot(block, offset);
        _pods.Add(podKey, slot);
        return ToAddress(podKey, slot);
    }

    private static PodAddress ToAddress(string podKey, PodSlot slot) =>
        new(podKey, slot.Block.Host.InstanceId, slot.Block.Owner, slot.Block.Group.Subnet.Zone.Network.Config.Name,
            slot.Block.Cidr, slot.Block.Cidr.AddressAt((UInt128)slot.Offset));

    /// <summary>Releases a pod's address; an emptied block goes back to its group. False when the key holds nothing.</summary>
    public bool Release(string podKey)
    {
        ArgumentNullException.ThrowIfNull(podKey);
        if (!_pods.Remove(podKey, out var slot))
        {
            return false;
        }

        var block = slot.Block;
        block.Free(slot.Offset);
        if (block.Used == 0)
        {
            ReturnBlock(block);
        }

        return true;
    }

    private static void ReturnBlock(BlockAllocation block)
    {
        var key = (block.Group.Subnet.Zone.Network.Index, block.Owner);
        var blocks = block.Host.Blocks[key];
        blocks.Remove(block);
        if (blocks.Count == 0)
        {
            block.Host.Blocks.Remove(key);
        }

        block.Group.Return(block.Index);
    }

    /// <summary>Every allocated block: network, CIDR, host, owner (in host arrival order).</summary>
    public IReadOnlyList<BlockRef> Blocks() => _hostOrder.SelectMany(h => h.AllBlocks).Select(ToRef).ToList();

    public PodAddress? FindPod(string podKey) => _pods.TryGetValue(podKey, out var slot) ? ToAddress(podKey, slot) : null;

    private BlockAllocation TakeBlock(HostRecord host, GroupAllocation group, string owner, bool claimed = false)
    {
        var index = group.TakeLowest();
        if (index < 0)
        {
            var range = TakeOverflowRange(group);
            group.AddRange(range);
            index = group.TakeLowest();
            if (index < 0)
            {
                throw Exhausted(group, $"the overflow range {range} holds no usable block (excluded)");
            }
        }

        return new BlockAllocation(group, index, host, owner, claimed);
    }

    /// <summary>
    /// A full group may take one more range of its own size from the network's spare space, costing one more route,
    /// when the route budget still has room for it after every planned group.
    /// </summary>
    private Cidr TakeOverflowRange(GroupAllocation group)
    {
        var network = group.Subnet.Zone.Network;
        var overflow = _networks.Sum(n => n.Groups.Sum(g => g.Ranges.Count - 1));
        var planned = Topology.MaxRoutesPerTable + overflow;
        if (planned + 1 > Topology.RouteBudget)
        {
            throw Exhausted(group,
                $"cannot take an overflow range: the route budget is {Topology.RouteBudget} (routeLimit {Topology.RouteLimit} − routeHeadroom {Topology.RouteHeadroom}) " +
                $"and up to {planned} routes are already planned ({Topology.MaxRoutesPerTable} groups + {overflow} overflow); raise routeLimit, or add a network");
        }

        var taken = network.Taken.Concat(network.Config.Exclude);
        return CidrSpace.FindFree(network.Config.Cidr, group.Cidr.PrefixLength, taken) ?? throw Exhausted(group,
            $"cannot take an overflow range: network '{network.Config.Name}' has no spare /{group.Cidr.PrefixLength} outside its zones (spare: {network.FormatSpare()}); add a network or free addresses");
    }

    private static IpamExhaustedException Exhausted(GroupAllocation group, string reason) =>
        new(group.Subnet.Zone.Network.Config.Name, group.Subnet.Zone.Name, group.Subnet.SubnetId, group.Cidr.ToString(), group.Utilisation, reason);

    private int NetworkIndex(string? network)
    {
        if (network is null)
        {
            return 0;
        }

        for (var i = 0; i < _networks.Length; i++)
        {
            if (_networks[i].Config.Name == network)
            {
                return i;
            }
        }

        throw new IpamException($"network '{network}' is not in the topology (networks: {string.Join(", ", _networks.Select(n => n.Config.Name))})");
    }

    private static void ValidateOwner(string owner)
    {
        if (!OwnerPattern().IsMatch(owner ?? string.Empty))
        {
            throw new IpamException($"owner '{owner}' must be a Kubernetes namespace, optionally with a segment (namespace/segment), each a DNS label: lowercase letters, digits and '-', at most 63 characters");
        }
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)?$")]
    private static partial Regex OwnerPattern();
}
