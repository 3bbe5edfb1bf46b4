using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Agents;

namespace RomanaAws.Agent.Cni;

/// <summary>
/// The node's pod addresses behind one lock: every change is in the checkpoint on disk before it is answered, so a
/// crash (kill -9) between ADDs loses nothing and never hands one address to two containers. Concurrent ADDs (kubelet
/// starting many pods) serialise here; each costs an in-memory allocation and one small fsync'd write.
/// </summary>
public sealed class PodAddressService
{
    private readonly NodeIpam _ipam = new();
    private readonly CheckpointFile _checkpoint;
    private readonly Lock _lock = new();
    private IReadOnlyList<string> _networks;

    /// <summary>
    /// Restores the checkpoint: entries <paramref name="isAlive"/> rejects (their container is gone) are dropped and
    /// reported. With no <paramref name="blocks"/> given, the checkpoint's own block list is used until the first sync.
    /// </summary>
    public PodAddressService(CheckpointFile checkpoint, IEnumerable<OwnedBlock> blocks, Func<PodAttachment, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(blocks);
        _checkpoint = checkpoint;
        var stored = checkpoint.Load();
        _networks = stored.Networks;
        var given = blocks.Select(Normalised).ToList();
        _ipam.SetBlocks(given.Count > 0 ? given : stored.Blocks.Select(Normalised).ToList());
        Dropped = _ipam.Restore(stored, isAlive);
        if (Dropped.Count > 0 || given.Count > 0)
        {
            _checkpoint.Save(Checkpoint());
        }
    }

    /// <summary>What the restore dropped (containers gone while the agent was down).</summary>
    public IReadOnlyList<PodAttachment> Dropped { get; }

    /// <summary>The pod network a pod's <c>romana.io/network</c> (null: none) names, against the topology's networks as last synced.</summary>
    public NetworkChoice ResolveNetwork(string? requested)
    {
        lock (_lock)
        {
            return NetworkChoice.Resolve(requested, _networks);
        }
    }

    public AllocationResult Add(AttachmentKey key, AddressPool pool, string? netns)
    {
        lock (_lock)
        {
            var result = _ipam.Allocate(key, pool, netns);
            if (result is { Succeeded: true, Existing: false })
            {
                Persist(() => _ipam.Release(key));
            }

            return result;
        }
    }

    /// <summary>Idempotent: true when an address was freed, false when the attachment held none.</summary>
    public bool Delete(AttachmentKey key)
    {
        lock (_lock)
        {
            if (_ipam.Find(key) is not { } held)
            {
                return false;
            }

            _ipam.Release(key);
            Persist(() => _ipam.Restore(new NodeIpamCheckpoint { Attachments = [held] }, _ => true));
            return true;
        }
    }

    public PodAttachment? Find(AttachmentKey key)
    {
        lock (_lock)
        {
            return _ipam.Find(key);
        }
    }

    /// <summary>A copy of every held attachment.</summary>
    public IReadOnlyList<PodAttachment> Attachments()
    {
        lock (_lock)
        {
            return _ipam.Attachments.ToList();
        }
    }

    /// <summary>
    /// Takes the controller's view of this host's blocks and the topology's <paramref name="networks"/> (each sync; an
    /// empty list keeps the known ones); saved when either changed.
    /// </summary>
    public void SetBlocks(IEnumerable<OwnedBlock> blocks, IReadOnlyList<string>? networks = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        lock (_lock)
        {
            // Every sync comes here: compare the block lists only, and write the checkpoint only when they changed.
            var before = _ipam.UsableBlocks();
            var knownBefore = _networks;
            if (networks is { Count: > 0 })
            {
                _networks = networks.ToList();
            }

            _ipam.SetBlocks(blocks.Select(Normalised).ToList());
            if (!before.SequenceEqual(_ipam.UsableBlocks()) || !knownBefore.SequenceEqual(_networks, StringComparer.Ordinal))
            {
                _checkpoint.Save(Checkpoint());
            }
        }
    }

    /// <summary>Per pool (owner and network): blocks, free addresses, pods, empty blocks.</summary>
    public IReadOnlyList<PoolUsage> Pools()
    {
        lock (_lock)
        {
            return _ipam.Pools();
        }
    }

    /// <summary>Free addresses left for <paramref name="pool"/>.</summary>
    public int Free(AddressPool pool)
    {
        lock (_lock)
        {
            return _ipam.Free(pool);
        }
    }

    /// <summary>Addresses in use per block (what the agent reports to the controller).</summary>
    public IReadOnlyDictionary<Core.Net.Cidr, int> Usage()
    {
        lock (_lock)
        {
            return _ipam.Usage();
        }
    }

    /// <summary>A freshly claimed block, usable at once and saved.</summary>
    public void AddBlock(OwnedBlock block)
    {
        lock (_lock)
        {
            if (_ipam.AddBlock(Normalised(block)))
            {
                _checkpoint.Save(Checkpoint());
            }
        }
    }

    /// <summary>Stops allocating from a block about to be given back (saved first, so a restart does not resurrect it).</summary>
    public void RetireBlock(Core.Net.Cidr cidr)
    {
        lock (_lock)
        {
            _ipam.RetireBlock(cidr);
            _checkpoint.Save(Checkpoint());
        }
    }

    /// <summary>Releases every attachment except <paramref name="valid"/> (CNI GC); returns what it released.</summary>
    public IReadOnlyList<AttachmentKey> KeepOnly(IReadOnlySet<AttachmentKey> valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return ReleaseAll(a => !valid.Contains(a.Key));
    }

    /// <summary>Releases the attachments <paramref name="sweep"/> finds leaked (gone for its grace period).</summary>
    public IReadOnlyList<AttachmentKey> Sweep(LeakSweep sweep, Func<PodAttachment, bool> isAlive, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        lock (_lock)
        {
            var due = sweep.Due(_ipam.Attachments, isAlive, now).ToHashSet();
            return due.Count == 0 ? [] : ReleaseAll(a => due.Contains(a.Key));
        }
    }

    /// <summary>Free addresses and usable blocks over all pools.</summary>
    public (int Free, int Blocks) Capacity()
    {
        lock (_lock)
        {
            return _ipam.Capacity();
        }
    }

    private List<AttachmentKey> ReleaseAll(Func<PodAttachment, bool> release)
    {
        lock (_lock)
        {
            var gone = _ipam.Attachments.Where(release).ToList();
            if (gone.Count == 0)
            {
                return [];
            }

            foreach (var attachment in gone)
            {
                _ipam.Release(attachment.Key);
            }

            Persist(() => _ipam.Restore(new NodeIpamCheckpoint { Attachments = gone }, _ => true));
            return gone.Select(a => a.Key).ToList();
        }
    }

    /// <summary>The block with its network as the node keeps it: null for the default network.</summary>
    private OwnedBlock Normalised(OwnedBlock block) => block with { Network = NetworkChoice.Normalise(block.Network, _networks) };

    private NodeIpamCheckpoint Checkpoint() => _ipam.ToCheckpoint() with { Networks = _networks };

    /// <summary>Writes the checkpoint; when that fails the in-memory change is undone, so memory never runs ahead of disk.</summary>
    private void Persist(Action undo)
    {
        try
        {
            _checkpoint.Save(Checkpoint());
        }
        catch
        {
            undo();
            throw;
        }
    }
}
