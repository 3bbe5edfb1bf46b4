using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>
/// Pod addresses on one node, inside the blocks the controller gave this host (per <see cref="AddressPool"/>: an owner
/// in one pod network; block networks come here already normalised, the default as null). Pure and single-threaded:
/// the caller serialises access and persists <see cref="ToCheckpoint"/> before answering. ADD is idempotent per
/// <see cref="AttachmentKey"/>; an address is never held twice; a block that leaves the desired state while it still
/// holds pods is kept until they are gone (<see cref="RetiredBlocks"/>), so no live pod loses its address.
/// </summary>
public sealed class NodeIpam
{
    private readonly Dictionary<Cidr, BlockSlots> _blocks = [];
    private readonly Dictionary<AttachmentKey, PodAttachment> _attachments = [];

    public IReadOnlyCollection<PodAttachment> Attachments => _attachments.Values;

    /// <summary>Blocks no longer in the desired state that still hold pods (their addresses stay until released).</summary>
    public IEnumerable<Cidr> RetiredBlocks => _blocks.Values.Where(b => b.Retired).Select(b => b.Cidr);

    /// <summary>Takes the controller's view of this host's blocks. New blocks become usable; removed ones retire when they hold pods.</summary>
    public void SetBlocks(IEnumerable<OwnedBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var wanted = blocks.ToDictionary(b => b.Cidr);
        foreach (var (cidr, block) in _blocks.ToList())
        {
            if (!wanted.TryGetValue(cidr, out var owned) || new AddressPool(owned.Owner, owned.Network) != block.Pool)
            {
                if (block.Used == 0)
                {
                    _blocks.Remove(cidr);
                }
                else
                {
                    block.Retired = true;
                }
            }
            else
            {
                block.Retired = false;
            }
        }

        foreach (var owned in wanted.Values.Where(o => !_blocks.ContainsKey(o.Cidr)))
        {
            if (owned.Cidr.AddressCount > 1 << 16)
            {
                throw new ArgumentException($"block {owned.Cidr} is larger than /16 per address family; blocks are small (/29–/26)", nameof(blocks));
            }

            _blocks.Add(owned.Cidr, new BlockSlots(owned.Cidr, new AddressPool(owned.Owner, owned.Network)));
        }
    }

    /// <summary>An address for <paramref name="key"/> from <paramref name="pool"/>'s blocks: the one it holds already, else the lowest free.</summary>
    public AllocationResult Allocate(AttachmentKey key, AddressPool pool, string? netns)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool.Owner);
        if (_attachments.TryGetValue(key, out var held))
        {
            return held.Pool == pool
                ? AllocationResult.Assigned(held, existing: true)
                : AllocationResult.NoFreeAddress($"attachment {key} already holds {held.Address} for {held.Pool}, not {pool}; DEL it first");
        }

        foreach (var block in PoolBlocks(pool))
        {
            var offset = block.Take();
            if (offset >= 0)
            {
                var attachment = new PodAttachment(key, block.Cidr.AddressAt((UInt128)offset), block.Cidr, pool.Owner, netns, pool.Network);
                _attachments.Add(key, attachment);
                return AllocationResult.Assigned(attachment, existing: false);
            }
        }

        var blocks = PoolBlocks(pool).Count();
        return AllocationResult.NoFreeAddress(blocks == 0
            ? $"this node holds no block for {pool} yet"
            : $"the {blocks} block(s) of {pool} on this node are full");
    }

    /// <summary>The address <paramref name="key"/> holds, or null.</summary>
    public PodAttachment? Find(AttachmentKey key) => _attachments.GetValueOrDefault(key);

    /// <summary>Frees <paramref name="key"/>'s address; false when it held none (DEL is idempotent).</summary>
    public bool Release(AttachmentKey key)
    {
        if (!_attachments.Remove(key, out var held))
        {
            return false;
        }

        var block = _blocks[held.Block];
        block.Free(Offset(held));
        if (block.Retired && block.Used == 0)
        {
            _blocks.Remove(block.Cidr);
        }

        return true;
    }

    /// <summary>Free addresses left in <paramref name="pool"/>'s usable blocks (to claim the next block ahead of need).</summary>
    public int Free(AddressPool pool) => PoolBlocks(pool).Sum(b => b.Capacity - b.Used);

    /// <summary>Per pool of a usable block: what <see cref="BlockDemand"/> decides claims and give-backs from.</summary>
    public IReadOnlyList<PoolUsage> Pools() =>
        _blocks.Values.Where(b => !b.Retired).GroupBy(b => b.Pool).OrderBy(g => g.Key.Owner, StringComparer.Ordinal).ThenBy(g => g.Key.Network, StringComparer.Ordinal)
            .Select(g => new PoolUsage(g.Key, g.Count(), g.Max(b => b.Capacity), g.Sum(b => b.Capacity - b.Used), g.Sum(b => b.Used), g.Where(b => b.Used == 0).Select(b => b.Cidr).Order().ToList()))
            .ToList();

    /// <summary>Adds one block (a fresh claim) without waiting for the next desired state; false when it is held already.</summary>
    public bool AddBlock(OwnedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_blocks.TryGetValue(block.Cidr, out var held) && !held.Retired)
        {
            return false;
        }

        SetBlocks(UsableBlocks().Append(block).ToList());
        return true;
    }

    /// <summary>Stops allocating from <paramref name="cidr"/> (before it is given back): removed when empty, retired otherwise.</summary>
    public void RetireBlock(Cidr cidr)
    {
        if (_blocks.TryGetValue(cidr, out var block))
        {
            if (block.Used == 0)
            {
                _blocks.Remove(cidr);
            }
            else
            {
                block.Retired = true;
            }
        }
    }

    /// <summary>Usable blocks holding no pod (candidates to give back after a grace period).</summary>
    public IEnumerable<OwnedBlock> EmptyBlocks() => _blocks.Values.Where(b => !b.Retired && b.Used == 0).Select(b => b.ToOwned());

    /// <summary>Pods per block, for the controller's <c>ipam show</c> and metrics.</summary>
    public IReadOnlyDictionary<Cidr, int> Usage() => _blocks.Values.ToDictionary(b => b.Cidr, b => b.Used);

    public NodeIpamCheckpoint ToCheckpoint() =>
        new()
        {
            Attachments = _attachments.Values.OrderBy(a => a.Key.ContainerId, StringComparer.Ordinal).ThenBy(a => a.Key.IfName, StringComparer.Ordinal).ToList(),
            Blocks = UsableBlocks(),
        };

    /// <summary>The blocks new addresses come from (not retired), in order: what the checkpoint keeps of the blocks.</summary>
    public List<OwnedBlock> UsableBlocks() => _blocks.Values.Where(b => !b.Retired).OrderBy(b => b.Cidr).Select(b => b.ToOwned()).ToList();

    /// <summary>Free addresses and usable blocks over all pools (for STATUS).</summary>
    public (int Free, int Blocks) Capacity() =>
        (_blocks.Values.Where(b => !b.Retired).Sum(b => b.Capacity - b.Used), _blocks.Values.Count(b => !b.Retired));

    /// <summary>
    /// Rebuilds the node's addresses after a restart: the checkpoint's attachments whose container is still there
    /// (<paramref name="isAlive"/>) are restored into their blocks; the others are dropped and returned.
    /// </summary>
    public IReadOnlyList<PodAttachment> Restore(NodeIpamCheckpoint checkpoint, Func<PodAttachment, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(isAlive);
        var dropped = new List<PodAttachment>();
        foreach (var attachment in checkpoint.Attachments)
        {
            if (!isAlive(attachment) || _attachments.ContainsKey(attachment.Key))
            {
                dropped.Add(attachment);
                continue;
            }

            if (!_blocks.TryGetValue(attachment.Block, out var block))
            {
                // A block this node held but the controller no longer lists: kept, retired, until the pod goes.
                block = new BlockSlots(attachment.Block, attachment.Pool) { Retired = true };
                _blocks.Add(block.Cidr, block);
            }

            if (block.Pool != attachment.Pool || !block.Cidr.Contains(attachment.Address) || !block.Put(Offset(attachment)))
            {
                dropped.Add(attachment);
                continue;
            }

            _attachments.Add(attachment.Key, attachment);
        }

        return dropped;
    }

    private IEnumerable<BlockSlots> PoolBlocks(AddressPool pool) =>
        _blocks.Values.Where(b => !b.Retired && b.Pool == pool).OrderBy(b => b.Cidr);

    private static int Offset(PodAttachment attachment) =>
        (int)(Cidr.ToNumber(attachment.Address) - attachment.Block.NetworkNumber);
}
