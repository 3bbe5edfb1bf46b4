using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Health;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Health;

/// <summary>
/// Probes router candidates every interval: current route targets and hosts not (yet) healthy every round, so a
/// failure is seen at once and a recovered host is trusted again after RecoverAfter rounds; healthy candidates every fifth.
/// Probes: EC2 (one DescribeInstanceStatus for the probed hosts: state, status checks, scheduled events; plus the
/// drain tag), HTTP GET of the node agent's /healthz, TCP connect. A round passes if any attempt passes. Results
/// go through the pure <see cref="HostHealth"/> state machine into the <see cref="HealthBook"/>; when a target
/// turns failed or questionable, a reconcile is triggered at once.
/// </summary>
public sealed partial class HealthMonitor(
    Reconciler reconciler,
    ReconcileLoop loop,
    HealthBook book,
    IEc2Api ec2,
    ProbeTargets targets,
    HealthCheckSettings settings,
    TimeProvider time,
    ILogger<HealthMonitor> logger) : BackgroundService
{
    private const int CandidateEvery = 5;
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), UseProxy = false });
    private readonly HealthSettings _health = settings.ToSettings();
    private long _round;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_health.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One probe round (public for tests and the benchmark, which drive rounds themselves).</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (reconciler.LastSnapshot is not { } snapshot)
        {
            return;
        }

        var round = Interlocked.Increment(ref _round);
        var current = reconciler.CurrentTargets;
        var registered = reconciler.RegisteredHosts;
        var hosts = snapshot.Instances
            .Where(i => registered.Contains(i.InstanceId)
                && (current.Contains(i.InstanceId) || round % CandidateEvery == 0 || book.Get(i.InstanceId) is not { State: TargetHealth.Healthy }))
            .ToList();
        if (hosts.Count == 0)
        {
            return;
        }

        if (settings.Probes.Contains("http") || settings.Probes.Contains("tcp"))
        {
            var before = targets.LastRefreshError;
            await targets.RefreshAsync(Http, cancellationToken);
            if (targets.LastRefreshError is { } refreshError && refreshError != before)
            {
                LogTargetsFailed(refreshError);
            }
        }

        // The EC2 status query runs beside the probes and may take one interval at most (its retries go on in the
        // background): a slow or throttled API must never hold back the probes' verdicts.
        var statusTask = settings.Probes.Contains("ec2") ? StatusesAsync(hosts, cancellationToken) : Task.FromResult<Dictionary<string, InstanceStatusSnapshot>?>(null);
        var probed = await Task.WhenAll(hosts.Select(async h => (Host: h, Passed: await ProbeAsync(h, cancellationToken))));
        Dictionary<string, InstanceStatusSnapshot>? statuses = null;
        try
        {
            statuses = await statusTask.WaitAsync(_health.Interval, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStatusSlow(_health.Interval.TotalMilliseconds);
        }
        var now = time.GetUtcNow();
        foreach (var (host, passed) in probed.Select(p => (p.Host, p.Passed)))
        {
            var before = book.Get(host.InstanceId) ?? HostHealth.New(now);
            var after = before.Observe(new ProbeRound(now, Signal(host, statuses?.GetValueOrDefault(host.InstanceId)), passed.Passed, passed.Detail), _health);
            book.Set(host.InstanceId, after);
            if (after.State != before.State)
            {
                LogStateChanged(host.InstanceId, before.State, after.State, after.Reason);
                if (current.Contains(host.InstanceId) && after.State != TargetHealth.Healthy)
                {
                    loop.Trigger($"target {host.InstanceId} {after.State}");
                }
            }
        }
    }

    private async Task<Dictionary<string, InstanceStatusSnapshot>?> StatusesAsync(List<InstanceSnapshot> hosts, CancellationToken cancellationToken)
    {
        try
        {
            var statuses = await ec2.DescribeInstanceStatusAsync(hosts.Select(h => h.InstanceId).ToList(), cancellationToken);
            return statuses.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStatusFailed(ex is Ec2ApiException api ? api.Code : ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private Ec2Signal Signal(InstanceSnapshot host, InstanceStatusSnapshot? status)
    {
        var state = status?.State ?? host.State;
        return state switch
        {
            InstanceLifecycle.Stopped or InstanceLifecycle.ShuttingDown or InstanceLifecycle.Terminated => Ec2Signal.Down,
            InstanceLifecycle.Stopping => Ec2Signal.Draining,
            InstanceLifecycle.Pending => Ec2Signal.Pending,
            _ when status?.Impaired == true => Ec2Signal.Impaired,
            _ when status?.ScheduledEvents.Count > 0 || host.Tags.ContainsKey(_health.DrainTag) => Ec2Signal.Draining,
            _ => Ec2Signal.Running,
        };
    }

    private async Task<(bool? Passed, string? Detail)> ProbeAsync(InstanceSnapshot host, CancellationToken cancellationToken)
    {
        var http = settings.Probes.Contains("http");
        var tcp = settings.Probes.Contains("tcp");
        if (!http && !tcp)
        {
            return (null, null);
        }

        var url = targets.HealthUrl(host.InstanceId, host.PrivateIp);
        if (url is null)
        {
            return (false, "no health endpoint");
        }

        string? detail = null;
        for (var attempt = 0; attempt < _health.AttemptsPerRound; attempt++)
        {
            using var timeout = new CancellationTokenSource(_health.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                if (http)
                {
                    using var response = await Http.GetAsync(url, linked.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return (true, null);
                    }

                    detail = $"HTTP {(int)response.StatusCode}";
                }
                else
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(url.Host, url.Port, linked.Token);
                    return (true, null);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                detail = ex is OperationCanceledException ? "timeout" : ex.Message;
            }
        }

        return (false, detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host {InstanceId} health {From} → {To}: {Reason}")]
    private partial void LogStateChanged(string instanceId, TargetHealth from, TargetHealth to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DescribeInstanceStatus failed ({Code}): {Error}; using the last snapshot's states")]
    private partial void LogStatusFailed(string code, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DescribeInstanceStatus took longer than {IntervalMs} ms; this round uses the last snapshot's states")]
    private partial void LogStatusSlow(double intervalMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the simulator's health endpoints ({Error}); hosts without an endpoint fail their probes")]
    private partial void LogTargetsFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health round failed: {Error}")]
    private partial void LogRoundFailed(string error);
}
