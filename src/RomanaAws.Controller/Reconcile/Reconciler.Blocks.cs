using Microsoft.Extensions.Logging;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// Block claims, give-backs and usage reports from the node agents. Each runs under the same gate as a reconcile
/// pass, so claims from many agents and the pass's host sync never interleave; each change is saved (with the store's
/// revision check, behind the write fence) and published for readers before it is answered. Claims stay inside the host's group: no VPC route changes.
/// </summary>
public sealed partial class Reconciler
{
    /// <summary>
    /// Every block with its usage, as of the last claim, give-back, usage report or pass (these arrive between passes,
    /// so the last pass's plan lags); null before the state is loaded. Read from any thread.
    /// </summary>
    public IReadOnlyList<BlockUsage>? CurrentBlocks { get; private set; }

    /// <summary>A new block for (host, owner); null for an unknown host. Throws <see cref="IpamException"/> (bad owner or network, group full).</summary>
    public async Task<BlockRef?> ClaimBlockAsync(string instanceId, string owner, string? network, CancellationToken cancellationToken)
    {
        var (known, block) = await ChangeIpamAsync(instanceId, ipam => (ipam.ClaimBlock(instanceId, owner, network), true), cancellationToken);
        if (known)
        {
            LogBlockClaimed(block!.Cidr, instanceId, owner);
        }

        return block;
    }

    /// <summary>Gives a block back: true when released, false when it was already free; null for an unknown host.</summary>
    public async Task<bool?> ReleaseBlockAsync(string instanceId, Cidr cidr, CancellationToken cancellationToken)
    {
        var (known, released) = await ChangeIpamAsync(instanceId, ipam =>
        {
            var given = ipam.ReleaseBlock(instanceId, cidr);
            return (given, given);
        }, cancellationToken);
        if (released)
        {
            LogBlockReleased(cidr, instanceId);
        }

        return known ? released : null;
    }

    /// <summary>Records a usage report (saved only when a count changed); false for an unknown host.</summary>
    public async Task<bool> ReportUsageAsync(string instanceId, IReadOnlyDictionary<Cidr, int> used, CancellationToken cancellationToken) =>
        (await ChangeIpamAsync(instanceId, ipam => (true, ipam.ReportUsage(instanceId, used)), cancellationToken)).Known;

    /// <summary>
    /// Applies <paramref name="change"/> under the gate and saves it when it changed something. When another writer saved
    /// first, the store reloads its state and the change is applied once more on top of it. Known is false for an unknown host.
    /// </summary>
    private async Task<(bool Known, T? Result)> ChangeIpamAsync<T>(string instanceId, Func<Core.Ipam.Ipam, (T Result, bool Changed)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_store.Published is null)
            {
                await _store.LoadAsync(cancellationToken);
            }

            if (_store.Dirty && !await _store.SaveAsync(cancellationToken))
            {
                LogStateReloaded();
            }

            for (var attempt = 0; ; attempt++)
            {
                if (!_store.Ipam.HasHost(instanceId))
                {
                    return (false, default);
                }

                var (result, changed) = change(_store.Ipam);
                if (!changed || await SaveOrRevertAsync(cancellationToken))
                {
                    CurrentBlocks = _store.Ipam.BlockUsage();
                    return (true, result);
                }

                LogStateReloaded();
                if (attempt > 0)
                {
                    throw new Core.Persistence.StateConflictException($"IPAM state: another writer saved twice while host {instanceId}'s change was being saved; retry");
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Saves a change; when the save fails (or the fence refuses it: this replica stopped leading), the change is dropped (the stored state is reloaded) before the error goes
    /// to the agent, so a claim it was told failed is not held for it anyway. The state was clean before the change.
    /// </summary>
    private async Task<bool> SaveOrRevertAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _store.SaveAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Core.Persistence.IpamStateException or Core.Persistence.StateConflictException
            or Core.Leadership.NotLeaderException)
        {
            try
            {
                await _store.RevertAsync(cancellationToken);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException or Core.Persistence.IpamStateException or Core.Persistence.StateConflictException)
            {
                LogRevertFailed(again.Message);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the IPAM state after a failed save ({Error}); the unsaved change stays until the next save")]
    private partial void LogRevertFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Block {Cidr} claimed by {InstanceId} for owner {Owner}")]
    private partial void LogBlockClaimed(Cidr cidr, string instanceId, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Block {Cidr} given back by {InstanceId}")]
    private partial void LogBlockReleased(Cidr cidr, string instanceId);
}
