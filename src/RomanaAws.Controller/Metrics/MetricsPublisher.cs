using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Metrics;

/// <summary>
/// Publishes the controller's figures to CloudWatch with PutMetricData: batched every publish period, and at once
/// after a failover so alarms fire without waiting. Runs on its own; a failed publish is logged and retried with
/// the next batch, and never blocks routing.
/// </summary>
public sealed partial class MetricsPublisher : BackgroundService
{
    private readonly CloudWatchQueryClient _cloudWatch;
    private readonly ControllerStatus _status;
    private readonly Reconciler _reconciler;
    private readonly HealthBook _health;
    private readonly MetricsSettings _settings;
    private readonly string _cluster;
    private int _publishedTerms;
    private readonly TimeProvider _time;
    private readonly ILogger<MetricsPublisher> _logger;
    private readonly SemaphoreSlim _flush = new(0, 1);

    public MetricsPublisher(CloudWatchQueryClient cloudWatch, ControllerStatus status, Reconciler reconciler, HealthBook health, MetricsSettings settings,
        string cluster, TimeProvider time, ILogger<MetricsPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(status);
        _cloudWatch = cloudWatch;
        _status = status;
        _reconciler = reconciler;
        _health = health;
        _settings = settings;
        _cluster = cluster;
        _time = time;
        _logger = logger;
        status.FailoverCompleted += _ => FlushSoon();
    }

    public long Published { get; private set; }

    public void FlushSoon()
    {
        if (_flush.CurrentCount == 0)
        {
            try
            {
                _flush.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(_settings.PublishSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var timer = Task.Delay(period, _time, wait.Token);
            var flush = _flush.WaitAsync(wait.Token);
            try
            {
                await Task.WhenAny(timer, flush);
                await wait.CancelAsync();
                await PublishAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One publish (public for tests and the demo).</summary>
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var (failovers, errors) = _status.TakeUnpublished();
        var terms = _status.Terms;
        var count = 0;
        try
        {
            var targets = _reconciler.CurrentTargets;
            var unhealthy = targets.Count(t => _health.Get(t) is { State: not TargetHealth.Healthy });
            var samples = MetricsSnapshot.Samples(_cluster, _status, failovers, errors, unhealthy, _time.GetUtcNow(), terms - _publishedTerms);
            count = samples.Count;
            await _cloudWatch.PutMetricDataAsync(_settings.Namespace, samples, cancellationToken);
            Published += samples.Count;
            _publishedTerms = terms;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (CloudWatch, network, credentials), routing goes on and the counts ride the next batch.
            _status.Requeue(failovers, errors);
            LogPublishFailed(count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} metric(s) to CloudWatch failed (routing is unaffected): {Error}")]
    private partial void LogPublishFailed(int count, string error);

    public override void Dispose()
    {
        _flush.Dispose();
        base.Dispose();
    }
}
