using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

public sealed partial class Ipam
{
    /// <summary>
    /// Takes a new block for (<paramref name="instanceId"/>, <paramref name="owner"/>) in <paramref name="network"/> (the
    /// first network when null) from the host's group, lowest free first, as <see cref="Allocate"/> does. The host's agent
    /// owns its addresses: the block holds no per-pod entries, only the usage the agent reports (<see cref="ReportUsage"/>).
    /// Throws <see cref="IpamExhaustedException"/> when the group (and any overflow it may take) has no free block.
    /// </summary>
    public BlockRef ClaimBlock(string instanceId, string owner, string? network = null)
    {
        var net = NetworkIndex(network);
        var host = RegisteredHost(instanceId);
        ValidateOwner(owner);
        var block = TakeBlock(host, host.Groups[net]!, owner, claimed: true);
        var key = (net, owner);
        if (!host.Blocks.TryGetValue(key, out var blocks))
        {
            blocks = [];
            host.Blocks.Add(key, blocks);
        }

        InsertByIndex(blocks, block);
        return ToRef(block);
    }

    /// <summary>
    /// Gives a claimed block back to its group. False when no host holds <paramref name="cidr"/> (already given back:
    /// idempotent). Refused when the block belongs to another host, tracks pods itself, or — <see cref="BlockInUseException"/> —
    /// its agent last reported addresses in use in it.
    /// </summary>
    public bool ReleaseBlock(string instanceId, Cidr cidr)
    {
        var host = RegisteredHost(instanceId);
        var block = host.AllBlocks.FirstOrDefault(b => b.Cidr == cidr);
        if (block is null)
        {
            return _hostOrder.SelectMany(h => h.AllBlocks).FirstOrDefault(b => b.Cidr == cidr) is { } other
                ? throw new IpamException($"block {cidr} belongs to host {other.Host.InstanceId} (owner '{other.Owner}'), not to host {instanceId}; a host gives back only its own blocks")
                : false;
        }

        if (!block.Claimed)
        {
            throw new IpamException($"block {cidr} of host {instanceId} holds {block.Used} pod address(es) allocated by 'ipam allocate'; release those pods instead ('ipam release --pod KEY')");
        }

        if (block.Used > 0)
        {
            throw new BlockInUseException($"block {cidr} of host {instanceId} still holds {block.Used} address(es) in use by the last usage report; a block goes back only once its agent reports it empty (0)");
        }

        ReturnBlock(block);
        return true;
    }

    /// <summary>
    /// Records how many addresses each listed block of <paramref name="instanceId"/> holds (0 to the block's size).
    /// Every entry is checked first and all problems reported at once; then, and only then, applied. Blocks not listed
    /// keep their last count. True when a count changed.
    /// </summary>
    public bool ReportUsage(string instanceId, IReadOnlyDictionary<Cidr, int> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        var host = RegisteredHost(instanceId);
        var blocks = host.AllBlocks.ToDictionary(b => b.Cidr);
        var problems = new List<string>();
        var updates = new List<(BlockAllocation Block, int Used)>();
        foreach (var (cidr, count) in used.OrderBy(u => u.Key))
        {
            if (!blocks.TryGetValue(cidr, out var block))
            {
                problems.Add($"block {cidr} is not a block of host {instanceId} (its blocks: {Echo.Cap(string.Join(", ", blocks.Keys.Order()), 200)})");
            }
            else if (!block.Claimed)
            {
                problems.Add($"block {cidr} tracks its pods in the IPAM ('ipam allocate'); its usage is its pod count ({block.Used}) and is not reported");
            }
            else if (count < 0 || count > block.Capacity)
            {
                problems.Add($"block {cidr} usage {count} must be 0 to {block.Capacity} (the addresses in a /{cidr.PrefixLength})");
            }
            else
            {
                updates.Add((block, count));
            }
        }

        if (problems.Count > 0)
        {
            throw new IpamException($"usage report of host {instanceId}: {string.Join("; ", problems)}");
        }

        var changed = false;
        foreach (var (block, count) in updates)
        {
            changed |= block.Used != count;
            block.Report(count);
        }

        return changed;
    }

    /// <summary>Every block with its usage and capacity, by network and address.</summary>
    public IReadOnlyList<BlockUsage> BlockUsage() =>
        _hostOrder.SelectMany(h => h.AllBlocks)
            .OrderBy(b => b.Group.Subnet.Zone.Network.Index).ThenBy(b => b.Cidr)
            .Select(b => new BlockUsage(b.Group.Subnet.Zone.Network.Config.Name, b.Cidr, b.Host.InstanceId, b.Owner, b.Used, b.Capacity, b.Claimed))
            .ToList();

    private HostRecord RegisteredHost(string instanceId) =>
        _hosts.TryGetValue(instanceId ?? string.Empty, out var host)
            ? host
            : throw new IpamException($"host {Echo.Cap(instanceId ?? "null", 64)} is not registered; the controller registers cluster instances as it sees them in EC2");

    private static BlockRef ToRef(BlockAllocation b) => new(b.Group.Subnet.Zone.Network.Config.Name, b.Cidr, b.Host.InstanceId, b.Owner);
}
