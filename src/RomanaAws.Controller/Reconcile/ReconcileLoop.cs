using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.Controller.Status;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// One level-triggered loop: every event only enqueues one collapsing "reconcile" (a bounded channel of one that
/// drops extra writes); the worker runs one pass at a time from a full snapshot; a periodic resync, jittered ±10 %,
/// is the safety net. A failed pass is retried at the next trigger, sooner while failures repeat.
/// </summary>
public sealed partial class ReconcileLoop(Reconciler reconciler, ControllerStatus status, TimeProvider time, TimeSpan resync, ILogger<ReconcileLoop> logger)
    : BackgroundService
{
    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Random _jitter = new();

    /// <summary>Asks for a pass soon; any number of calls before it starts collapse into one.</summary>
    public void Trigger(string reason) => _pending.Writer.TryWrite(reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Trigger("start");
        var ticker = TickAsync(stoppingToken);
        try
        {
            await foreach (var reason in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                LogPassStarting(reason);
                try
                {
                    status.Record(await reconciler.ReconcileAsync(stoppingToken));
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile pass failed: {Error}")]
    private partial void LogPassFailed(string error);
}
