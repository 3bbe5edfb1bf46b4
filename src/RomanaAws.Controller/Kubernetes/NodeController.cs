using System.Globalization;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Routing;
using RomanaAws.Informers;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// The controller's side of Kubernetes, thin I/O around pure decisions: watches Nodes (list + watch, <see cref="Informer{T}"/>)
/// into <see cref="Facts"/>, published for the reconciler in a <see cref="NodeFactsSource"/> (a deleted Node triggers a pass at once); after every pass, every change
/// of a Node and every change of an agent's health, sets each Node's <c>NetworkUnavailable</c> condition where it differs
/// (<see cref="NetworkUnavailable"/>; PATCH nodes/NAME/status) and records Warning events for the route failures of a new
/// pass (<see cref="RouteEvents"/>, throttled; POST events in namespace <c>default</c>). Syncs collapse like reconcile triggers.
/// API calls: list and watch nodes, patch nodes/status, create events.
/// </summary>
public sealed partial class NodeController : BackgroundService
{
    public const string EventNamespace = "default";
    public const string Component = "romana-aws-controller";
    private readonly IKubernetes _client;
    private readonly Reconciler _reconciler;
    private readonly ReconcileLoop _loop;
    private readonly ControllerStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeController> _logger;
    private readonly NodeFactsSource _facts;
    private readonly NodeDirectory _directory = new();
    private readonly Lock _lock = new();
    private readonly EventThrottle _throttle = new(TimeSpan.FromMinutes(5));
    private readonly Dictionary<string, (NodeCondition Condition, string? ResourceVersion)> _written = new(StringComparer.Ordinal);
    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DateTimeOffset? _eventsOf;
    private long _events;

    /// <param name="facts">Where the Nodes are published for the reconciler (which reads them at the start of a pass).</param>
    public NodeController(IKubernetes client, Reconciler reconciler, ReconcileLoop loop, ControllerStatus status, NodeFactsSource facts, TimeSpan resync, TimeProvider time, ILogger<NodeController> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(facts);
        _client = client;
        _facts = facts;
        _reconciler = reconciler;
        _loop = loop;
        _status = status;
        _time = time;
        _logger = logger;
        Nodes = new Informer<V1Node>("nodes",
            async ct =>
            {
                var list = await client.CoreV1.ListNodeAsync(cancellationToken: ct);
                return new ListPage<V1Node>([.. list.Items], list.Metadata.ResourceVersion);
            },
            (version, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            OnNodesChanged, message =>
            {
                LogWatchProblem(message);
                return Task.CompletedTask;
            }, time, resync);
        status.Recorded += _ => Trigger("pass");
    }

    public Informer<V1Node> Nodes { get; }

    /// <summary>The Nodes by instance and the deleted ones, as of the last change; null before the first list.</summary>
    public NodeFacts? Facts => _facts.Current;

    /// <summary>Asks for a condition sync soon; calls before it starts collapse into one.</summary>
    public void Trigger(string reason) => _pending.Writer.TryWrite(reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watching = Nodes.RunAsync(stoppingToken);
        try
        {
            await foreach (var reason in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await SyncAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or IOException or TimeoutException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    LogSyncFailed(reason, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await watching;
    }

    private void OnNodesChanged()
    {
        var before = Facts;
        NodeFacts facts;
        lock (_lock)
        {
            facts = _directory.Update(Nodes.Items.Select(KubeNode.From));
            _facts.Publish(facts);
        }

        // Routing modes bgp and ospf register hosts from the Nodes themselves: a Node added, removed or readdressed is a pass.
        // The first list counts as a change too: the first pass may have run before it.
        if (before is null ? facts.Hosts.Count > 0 : !before.Hosts.SequenceEqual(facts.Hosts))
        {
            _loop.Trigger("nodes added, removed or readdressed");
        }

        var deleted = facts.Deleted.Where(i => before?.Deleted.Contains(i) != true).ToList();
        if (deleted.Count > 0)
        {
            var ids = string.Join(", ", deleted);
            LogNodesDeleted(ids);
            _loop.Trigger($"node of {deleted[0]} deleted");
        }

        Trigger("nodes");
    }

    /// <summary>One sync: conditions where they differ, then the events of a pass not yet reported.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (_status.Last is not { } result || Facts is not { } facts)
        {
            return;
        }

        var routes = RouteFacts.From(result);
        var instances = result.Instances.GroupBy(i => i.InstanceId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (instanceId, (node, _)) in facts.ByInstance.OrderBy(n => n.Value.Node.Name, StringComparer.Ordinal))
        {
            TargetHealth? health = instances.TryGetValue(instanceId, out var instance) ? _reconciler.Health(instance) : null;
            var wanted = NetworkUnavailable.Wanted(instanceId, routes, health);
            if (!NetworkUnavailable.ShouldWrite(node, wanted, _written.TryGetValue(node.Name, out var w) ? w : null))
            {
                continue;
            }

            try
            {
                await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(NetworkUnavailable.Patch(wanted, _time.GetUtcNow()), V1Patch.PatchType.StrategicMergePatch), node.Name, cancellationToken: cancellationToken);
                _written[node.Name] = (wanted, node.ResourceVersion);
                LogConditionSet(node.Name, wanted.Status, wanted.Reason ?? string.Empty, wanted.Message ?? string.Empty);
            }
            catch (HttpOperationException ex)
            {
                // This node only (deleted meanwhile, forbidden): the others are still written.
                LogPatchFailed(node.Name, (int)ex.Response.StatusCode, ex.Message);
            }
        }

        foreach (var gone in _written.Keys.Where(n => facts.ByInstance.Values.All(r => r.Node.Name != n)).ToList())
        {
            _written.Remove(gone);
        }

        lock (_lock)
        {
            _directory.Forget(facts.Deleted.Where(i => !_reconciler.RegisteredHosts.Contains(i)));
        }

        if (_eventsOf != result.StartedAt)
        {
            _eventsOf = result.StartedAt;
            var now = _time.GetUtcNow();
            foreach (var nodeEvent in RouteEvents.For(result.RouteFailures, result.Ipam.Routes, facts).Where(e => _throttle.Allow(e, now)))
            {
                await _client.CoreV1.CreateNamespacedEventAsync(Event(nodeEvent, now), EventNamespace, cancellationToken: cancellationToken);
                LogEvent(nodeEvent.NodeName, nodeEvent.Reason, nodeEvent.Message);
            }
        }
    }

    private Corev1Event Event(NodeEvent nodeEvent, DateTimeOffset now) => new()
    {
        Metadata = new V1ObjectMeta
        {
            // client-go's naming: the object's name and a unique suffix.
            Name = string.Create(CultureInfo.InvariantCulture, $"{nodeEvent.NodeName}.{now.ToUnixTimeMilliseconds():x}{Interlocked.Increment(ref _events):x}"),
            NamespaceProperty = EventNamespace,
        },
        InvolvedObject = new V1ObjectReference { Kind = "Node", ApiVersion = "v1", Name = nodeEvent.NodeName, Uid = nodeEvent.NodeUid },
        Reason = nodeEvent.Reason,
        Message = nodeEvent.Message,
        Type = "Warning",
        Source = new V1EventSource { Component = Component },
        ReportingComponent = Component,
        ReportingInstance = Environment.MachineName,
        FirstTimestamp = now.UtcDateTime,
        LastTimestamp = now.UtcDateTime,
        Count = 1,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kubernetes {Problem}")]
    private partial void LogWatchProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node condition sync ({Reason}) failed: {Error}; the next pass or Node change retries")]
    private partial void LogSyncFailed(string reason, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: PATCH of its status failed (HTTP {Code}): {Error}")]
    private partial void LogPatchFailed(string node, int code, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node(s) of {InstanceIds} deleted: the hosts of those whose instance is gone are removed at the next pass, without the grace period")]
    private partial void LogNodesDeleted(string instanceIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: NetworkUnavailable={Status} ({Reason}: {Message})")]
    private partial void LogConditionSet(string node, string status, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event on node {Node}: {Reason}: {Message}")]
    private partial void LogEvent(string node, string reason, string message);
}
