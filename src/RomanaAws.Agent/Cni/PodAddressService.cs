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

    /// <summary>Restores the checkpoint: entries <paramref name="isAlive"/> rejects (their container is gone) are dropped and reported.</summary>
    public PodAddressService(CheckpointFile checkpoint, IEnumerable<OwnedBlock> blocks, Func<PodAttachment, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _checkpoint = checkpoint;
        _ipam.SetBlocks(blocks);
        Dropped = _ipam.Restore(checkpoint.Load(), isAlive);
        if (Dropped.Count > 0)
        {
            _checkpoint.Save(_ipam.ToCheckpoint());
        }
    }

    /// <summary>What the restore dropped (containers gone while the agent was down).</summary>
    public IReadOnlyList<PodAttachment> Dropped { get; }

    public AllocationResult Add(AttachmentKey key, string owner, string? netns)
    {
        lock (_lock)
        {
            var result = _ipam.Allocate(key, owner, netns);
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

    /// <summary>Writes the checkpoint; when that fails the in-memory change is undone, so memory never runs ahead of disk.</summary>
    private void Persist(Action undo)
    {
        try
        {
            _checkpoint.Save(_ipam.ToCheckpoint());
        }
        catch
        {
            undo();
            throw;
        }
    }
}
