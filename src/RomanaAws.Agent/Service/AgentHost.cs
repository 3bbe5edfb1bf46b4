using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RomanaAws.Agent.Service;

/// <summary>How often the agent syncs, and where /healthz listens.</summary>
/// <param name="Listen">Address and port of /healthz (port 0: any free port, for tests).</param>
/// <param name="Poll">Incremental sync period: fetch the desired state, write only what changed since the last apply.</param>
/// <param name="Resync">Full resync period: read the kernel back and reload the policy, repairing anything changed by hand.</param>
public sealed record AgentHostOptions(IPEndPoint Listen, TimeSpan Poll, TimeSpan Resync)
{
    /// <summary>How long a policy-source change waits for more before the sync it triggers.</summary>
    public TimeSpan ChangeDebounce { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A sync slower than this is reported with where its time went.</summary>
    public TimeSpan SlowSync { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How old the last good sync may be before /healthz answers 503: three full resync periods.</summary>
    public TimeSpan MaxAge => Resync * 3;
}

/// <summary>
/// The running agent: /healthz (200 when forwarding is on, routes are in sync, the policy is applied and the last good
/// sync is recent; 503 with the same JSON otherwise) and the sync loop: a full sync first and every
/// <see cref="AgentHostOptions.Resync"/>, an incremental one every <see cref="AgentHostOptions.Poll"/> in between.
/// A failed sync is reported and retried on the next tick (a failed full sync stays due).
/// </summary>
public sealed class AgentHost(AgentSync sync, AgentHostOptions options, TimeProvider time, Cni.CniNode? cni = null)
{
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the /healthz URL once it is listening.</summary>
    public Task<Uri> Listening => _listening.Task;

    public async Task RunAsync(Func<string, Task> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Listen));
        await using var app = builder.Build();
        app.MapGet("/healthz", () =>
        {
            var status = sync.Status;
            return Results.Json(status, AgentSync.Json, statusCode: status.Healthy(time.GetUtcNow(), options.MaxAge) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/metrics", () =>
        {
            var status = sync.Status;
            return Results.Text(AgentMetrics.Render(status, status.Healthy(time.GetUtcNow(), options.MaxAge)), AgentMetrics.ContentType);
        });
        await app.StartAsync(cancellationToken);
        try
        {
            _listening.TrySetResult(new Uri(new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), "healthz"));
            DateTimeOffset? lastFull = null;
            using var timer = new PeriodicTimer(options.Poll, time);
            var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
            while (true)
            {
                var changed = sync.PolicyChanged;
                var full = lastFull is not { } at || time.GetUtcNow() - at >= options.Resync;
                var status = await sync.SyncAsync(cancellationToken, full);
                if (status.LastError is { } error)
                {
                    await report($"{(full ? "full" : "incremental")} sync failed: {error}");
                }
                else
                {
                    if (full)
                    {
                        lastFull = time.GetUtcNow();
                    }

                    if (status.LastSync is { } took && took.Total > options.SlowSync)
                    {
                        await report($"slow {(full ? "full" : "incremental")} sync: {took}");
                    }
                }

                if (cni is not null)
                {
                    try
                    {
                        foreach (var line in await cni.AfterSyncAsync(sync, cancellationToken))
                        {
                            await report(line);
                        }
                    }
                    catch (Exception ex) when (ex is Kernel.KernelException or IOException or UnauthorizedAccessException or HttpRequestException or ControllerApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        await report($"CNI upkeep failed: {ex.Message}");
                    }
                }

                // The next sync: at the next poll tick, or as soon as a policy, pod or namespace changes (after a short
                // pause that folds a burst of API events into one sync).
                if (await Task.WhenAny(tick, changed) == tick)
                {
                    if (!await tick)
                    {
                        break;
                    }

                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                }
                else
                {
                    await Task.Delay(options.ChangeDebounce, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listening.TrySetCanceled(CancellationToken.None);
            await app.StopAsync(CancellationToken.None);
        }
    }
}
