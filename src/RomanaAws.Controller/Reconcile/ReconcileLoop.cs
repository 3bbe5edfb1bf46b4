using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.Controller.Replication;
using RomanaAws.Controller.Status;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// One level-triggered loop: every event only enqueues one collapsing "reconcile" (a bounded channel of one that
/// drops extra writes); the worker runs one pass at a time from a full snapshot; a periodic resync, jittered ±10 %,
/// is the safety net. A failed pass is retried at the next trigger, sooner while failures repeat.
/// </summary>
/// <para>With several replicas (<see cref="IReplica"/>) only the leader runs passes, each inside its term (a pass is
/// cancelled the moment the term ends, and its write fence refuses every EC2 write and save from then on: either way the
/// pass stops as "term ended", recorded in <see cref="ControllerStatus.LastStopped"/>, not as a failure); a standby reloads the state on every trigger instead (a watch on etcd triggers
/// it on every change), so it is warm when it takes over, and reloads once more before its first pass as leader.</para>
public sealed partial class ReconcileLoop(Reconciler reconciler, ControllerStatus status, TimeProvider time, TimeSpan resync, ILogger<ReconcileLoop> logger, IReplica? replica = null)
    : BackgroundService
{
    private readonly IReplica _replica = replica ?? new SingleReplica();
    private bool _leading;
    private long? _warmedAt;

    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Random _jitter = new();

    /// <summary>Asks for a pass soon; any number of calls before it starts collapse into one.</summary>
    public void Trigger(string reason) => _pending.Writer.TryWrite(reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Trigger("start");
        _replica.RoleChanged += role => Trigger($"role {role}");
        var ticker = TickAsync(stoppingToken);
        try
        {
            await foreach (var reason in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                status.Role = _replica.Role;
                if (_replica.Role != Core.Leadership.LeaderRole.Leader)
                {
                    _leading = false;
                    await KeepWarmAsync(stoppingToken);
                    continue;
                }

                LogPassStarting(reason);
                using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _replica.Term);
                try
                {
                    if (!_leading)
                    {
                        await reconciler.RefreshAsync(term.Token); // what the last leader wrote, before this term's first write
                        _leading = true;
                        if (_replica.Term.CanBeCanceled)
                        {
                            status.RecordTerm();
                        }
                    }

                    status.Record(await reconciler.ReconcileAsync(term.Token));
                }
                catch (Exception ex) when (ex is Core.Leadership.NotLeaderException || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested && _replica.Term.IsCancellationRequested))
                {
                    _leading = false;
                    var why = ex is Core.Leadership.NotLeaderException ? ex.Message : "the term was cancelled during the pass (lease lost or not renewed in time)";
                    status.RecordStopped(why);
                    LogTermEnded(why);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    status.RecordFailure(ex);
                    LogPassFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await ticker;
    }

    /// <summary>
    /// A standby: reload the state so agent reads are current and a takeover starts warm; and, once per resync
    /// interval, the read-only describes of a pass (<see cref="Reconciler.WarmAsync"/>), so its first pass as leader
    /// does not pay for a cold EC2 client.
    /// </summary>
    private async Task KeepWarmAsync(CancellationToken stoppingToken)
    {
        try
        {
            await reconciler.RefreshAsync(stoppingToken);
            if (_warmedAt is not { } warmed || time.GetElapsedTime(warmed) >= resync)
            {
                _warmedAt = time.GetTimestamp();
                await reconciler.WarmAsync(stoppingToken);
            }

            status.RecordStandby(time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            status.RecordFailure(ex);
            LogRefreshFailed(ex.Message);
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = status.ConsecutiveFailures > 0 ? TimeSpan.FromSeconds(Math.Min(resync.TotalSeconds, 5 * status.ConsecutiveFailures)) : resync;
                await Task.Delay(next * (0.9 + (0.2 * _jitter.NextDouble())), time, stoppingToken);
                Trigger("resync");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconcile pass ({Reason})")]
    private partial void LogPassStarting(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile pass stopped: this replica's term ended ({Error}); no further route or state write")]
    private partial void LogTermEnded(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standby could not reload the state or describe EC2: {Error}")]
    private partial void LogRefreshFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile pass failed: {Error}")]
    private partial void LogPassFailed(string error);
}
