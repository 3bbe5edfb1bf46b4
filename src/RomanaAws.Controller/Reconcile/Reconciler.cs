using Microsoft.Extensions.Logging;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// One reconcile pass, level-triggered: a full snapshot (one paged DescribeInstances, one DescribeRouteTables) →
/// host sync into the IPAM (saved when changed) → desired routes (pure) → plan (pure) → apply under the API budget.
/// A converged world costs two describe calls and no mutating call. Passes run one at a time (the pass gate); the IPAM
/// is read and changed under the state gate, which a pass holds only for its IPAM steps (load, host sync, save, plan),
/// never across an EC2 call: agents' claims wait for at most those, not for a pass stuck in EC2 retries. Agents' reads
/// take no gate and are served from the state last published (<see cref="PublishedState"/>). Each pass pins the write
/// fence to its term: every save and every mutating EC2 call asks it first.
/// </summary>
public sealed partial class Reconciler : IDisposable
{
    private readonly IEc2Api _ec2;
    private readonly ClusterDiscovery _discovery;
    private readonly TopologyConfig _topology;
    private readonly ControllerSettings _settings;
    private readonly IpamStore _store;
    private readonly RouteApplier _applier;
    private readonly TimeProvider _time;
    private readonly ILogger<Reconciler> _logger;
    private readonly Func<string, Core.Health.HostHealth?>? _healthDetail;
    private readonly Core.Health.FailoverDamper? _damper;
    private readonly Kubernetes.NodeFactsSource? _nodes;
    private readonly IWriteFence _fence;
    private readonly Dictionary<string, DateTimeOffset> _goneSince = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <param name="dependencies">Health checks, Kubernetes, the write fence; <see cref="ReconcilerDependencies.None"/> when null.</param>
    public Reconciler(IEc2Api ec2, TopologyConfig topology, ControllerSettings settings, IIpamStateStore store, TimeProvider time, ILoggerFactory loggers,
        ReconcilerDependencies? dependencies = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var with = dependencies ?? ReconcilerDependencies.None;
        _ec2 = ec2;
        _discovery = new ClusterDiscovery(ec2, topology, settings);
        _topology = topology;
        _settings = settings;
        _fence = with.Fence;
        _store = new IpamStore(store, topology, with.Fence);
        _applier = new RouteApplier(ec2, loggers.CreateLogger<RouteApplier>());
        _time = time;
        _logger = loggers.CreateLogger<Reconciler>();
        Health = with.Health;
        _healthDetail = with.HealthDetail;
        _damper = with.Damper;
        _nodes = with.Nodes;
    }

    /// <summary>Health of a candidate target (the Node conditions use the same verdict).</summary>
    public Func<InstanceSnapshot, TargetHealth> Health { get; }

    public IpamStore Ipam => _store;

    /// <summary>The snapshot of the last pass (read by the health monitor on its own thread).</summary>
    public ClusterSnapshot? LastSnapshot { get; private set; }

    /// <summary>Instances that are route targets after the last pass.</summary>
    public IReadOnlySet<string> CurrentTargets { get; private set; } = new HashSet<string>();

    /// <summary>Instances registered in the IPAM after the last pass.</summary>
    public IReadOnlySet<string> RegisteredHosts { get; private set; } = new HashSet<string>();

    public void Dispose()
    {
        _gate.Dispose();
        _pass.Dispose();
    }

    /// <summary>
    /// One node's desired routing and owners (for its agent), from the published state: never waits for a pass, a
    /// claim or a reload. Null for an unknown host.
    /// </summary>
    public async Task<Core.Agents.AgentDesiredState?> AgentStateAsync(string instanceId, CancellationToken cancellationToken) =>
        (await PublishedAsync(cancellationToken)).AgentState(instanceId);

    /// <summary>
    /// The published state; before the first one, loads it (once) under the gate, unless whoever holds the gate (a
    /// pass or a reload, which load first) publishes it meanwhile: then the reader stops waiting at once.
    /// </summary>
    private async Task<PublishedState> PublishedAsync(CancellationToken cancellationToken)
    {
        if (_store.Published is { } ready)
        {
            return ready;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = _gate.WaitAsync(wait.Token);
        if (await Task.WhenAny(gate, _store.FirstPublished) != gate)
        {
            await wait.CancelAsync();
        }

        try
        {
            await gate;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _store.Published!;
        }

        try
        {
            if (_store.Published is null)
            {
                await _store.LoadAsync(cancellationToken);
            }

            return _store.Published!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reloads the stored state: a standby keeping warm (its agent reads stay current), a new leader before its first pass.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _store.LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A standby's read-only look at EC2: the describes a pass begins with, and nothing else (no write, no state
    /// change, nothing published). Its EC2 client, connections and the code behind them are then warm when it takes
    /// over, so its first pass as leader takes what any pass takes (measured: 460 ms cold, docs/benchmarks.md).
    /// </summary>
    public Task WarmAsync(CancellationToken cancellationToken) => _discovery.DiscoverAsync(_time.GetUtcNow(), cancellationToken);

    public async Task<ReconcileResult> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await PassAsync(cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Runs <paramref name="step"/> under the state gate (an IPAM step of a pass: no EC2 call inside).</summary>
    private async Task<T> UnderStateGateAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await step();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReconcileResult> PassAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var clock = _time.GetTimestamp();
        var fence = _fence.Pin(); // this pass writes in the term it began in, or not at all
        await UnderStateGateAsync(() => LoadStateAsync(fence, cancellationToken), cancellationToken);
        var nodes = _nodes?.Current;
        var view = await _discovery.DiscoverAsync(started, cancellationToken, nodes?.Hosts);
        var (snapshot, vpc, (managed, how, selectionWarnings), selection) = view;
        var instances = snapshot.Instances;
        foreach (var problem in selection)
        {
            LogWarning(problem);
        }

        var (hosts, ipamPlan, registered) = await UnderStateGateAsync(() => SyncHostsAsync(instances, started, nodes, fence, cancellationToken), cancellationToken);
        if (hosts.Changed)
        {
            var changed = string.Join(", ", hosts.Added.Concat(hosts.Removed));
            LogHosts(hosts.Added.Count, hosts.Removed.Count, changed);
        }

        // From here on no IPAM is read: claims change blocks inside their host's group only, never a group's route.
        var networks = _topology.Networks.Select(n => n.Cidr).ToList();
        var desired = view.Desired(ipamPlan, Health, _damper is null ? null : (key, health) => _damper.MayMove(key, health, started));
        var routers = instances.Where(i => registered.Contains(i.InstanceId)).ToList();
        var limits = new PlannerLimits(_topology.RouteLimit, _topology.RouteHeadroom, _settings.MaxDeletesPerPass);
        var plan = RoutePlanner.Plan(desired, managed, networks, limits, routers);
        List<string> nodeProblems = nodes is null ? [] : [.. nodes.Problems, .. Kubernetes.NodeZones.Mismatches(nodes, instances)];
        foreach (var warning in selectionWarnings.Concat(plan.Warnings).Concat(hosts.Problems).Concat(nodeProblems))
        {
            LogWarning(warning);
        }

        foreach (var failover in desired.Where(d => d.Choice == TargetChoice.Failover).DistinctBy(d => (d.Network, d.Zone, d.SubnetId, d.Group)))
        {
            LogTargetMoved(failover.Destination, failover.Zone, failover.Group, failover.Previous?.InstanceId, failover.Target?.InstanceId);
        }

        var apply = plan.IsConverged ? ApplyResult.Nothing : await _applier.ApplyAsync(plan, _settings.DryRun, fence, cancellationToken);
        var after = apply.Applied > 0 && !_settings.DryRun ? Project(managed, plan) : managed;
        LastSnapshot = snapshot;
        CurrentTargets = desired.Where(d => d.Target is not null).Select(d => d.Target!.InstanceId).ToHashSet(StringComparer.Ordinal);
        RegisteredHosts = registered;
        CurrentBlocks = ipamPlan.Blocks;

        // Damping counts every move that was written, confirmed or not; events are recorded once confirmed.
        foreach (var moved in desired.Where(d => d.Choice == TargetChoice.Failover && !apply.Failed(d.Destination)).Select(d => d.Key).Distinct())
        {
            _damper?.Record(moved, _time.GetUtcNow());
        }

        var failovers = await ConfirmFailoversAsync(desired, plan, managed, vpc, cancellationToken);
        foreach (var failover in failovers)
        {
            LogFailover(failover.Group, failover.Destinations.Count, failover.Tables.Count, failover.From, failover.To, failover.Reason, failover.DetectionSeconds, failover.SwitchSeconds);
        }
        var views = view.Report(ipamPlan, desired, Health, after);
        List<string> warnings = [.. selectionWarnings, .. plan.Warnings, .. hosts.Problems, .. nodeProblems];
        List<PassError> problems = [.. selection.Select(PassError.Selection), .. apply.Errors.Select(PassError.Of)];
        var result = new ReconcileResult(started, _time.GetElapsedTime(clock), vpc, how, views, plan, desired, ipamPlan, hosts, apply.Applied, problems, warnings)
        {
            Failovers = failovers,
            RouteFailures = [.. apply.Failures, .. RouteFailure.OverBudget(plan, desired)],
            Instances = instances,
        };
        LogPass(managed.Count, plan.Operations.Count, apply.Applied, apply.Errors.Count, result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>The pass's first IPAM step: loads the state unless loaded, saves a change left unsaved; the state it starts from.</summary>
    private async Task<PublishedState> LoadStateAsync(IWriteFence fence, CancellationToken cancellationToken)
    {
        if (_store.Published is null)
        {
            await _store.LoadAsync(cancellationToken);
            foreach (var change in _store.LoadChanges)
            {
                LogStateLoaded(change);
            }
        }

        if (_store.Dirty && !await _store.SaveAsync(fence, cancellationToken))
        {
            LogStateReloaded();
        }

        return _store.Published!;
    }

    /// <summary>The pass's second IPAM step: host sync (saved), then the IPAM plan and the registered hosts it routes from.</summary>
    private async Task<(HostSyncResult Hosts, Core.Ipam.IpamPlan Plan, IReadOnlySet<string> Registered)> SyncHostsAsync(
        IReadOnlyList<InstanceSnapshot> instances, DateTimeOffset started, Kubernetes.NodeFacts? nodes, IWriteFence fence, CancellationToken cancellationToken)
    {
        var hosts = HostSync.Apply(_store.Ipam, instances, _goneSince, started, TimeSpan.FromSeconds(_settings.HostGraceSeconds), nodes?.Deleted);
        if (hosts.Changed && !await _store.SaveAsync(fence, cancellationToken))
        {
            // Another writer changed the state: it is reloaded; sync the hosts again on top of it.
            LogStateReloaded();
            hosts = HostSync.Apply(_store.Ipam, instances, _goneSince, started, TimeSpan.FromSeconds(_settings.HostGraceSeconds), nodes?.Deleted);
            if (hosts.Changed)
            {
                await _store.SaveAsync(fence, cancellationToken);
            }
        }

        return (hosts, _store.Ipam.Plan(), _store.Ipam.Hosts.Select(h => h.InstanceId).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// For each group moved this pass, describes the tables again and, when every managed table points the group's
    /// routes at the new target, records the failover: group, CIDRs, tables, from, to, reason, detection and switch time.
    /// </summary>
    private async Task<IReadOnlyList<FailoverEvent>> ConfirmFailoversAsync(
        IReadOnlyList<DesiredRoute> desired, ReconcilePlan plan, IReadOnlyList<RouteTableSnapshot> managed, string? vpc, CancellationToken cancellationToken)
    {
        var moved = desired.Where(d => d.Choice == TargetChoice.Failover && d.Target is not null && d.Previous is not null).GroupBy(d => d.Key).ToList();
        if (moved.Count == 0 || vpc is null || _settings.DryRun || !plan.Operations.Any(o => o.Kind == RouteOperationKind.Replace))
        {
            return [];
        }

        List<RouteTableSnapshot> tables;
        try
        {
            tables = (await _ec2.DescribeRouteTablesAsync(vpc, cancellationToken)).Where(t => managed.Any(m => m.RouteTableId == t.RouteTableId)).ToList();
        }
        catch (Ec2ApiException ex)
        {
            // Confirmation is best effort: the routes are written; the next pass will see them.
            LogConfirmFailed(ex.Code, ex.Message);
            return [];
        }

        var switched = _time.GetUtcNow();
        var events = new List<FailoverEvent>();
        foreach (var group in moved)
        {
            var first = group.First();
            var confirmed = tables.All(t => group.All(d => t.Routes.Any(r => r.DestinationCidr == d.Destination && r.NetworkInterfaceId == d.Target!.NetworkInterfaceId)));
            if (!confirmed)
            {
                continue;
            }

            var detail = _healthDetail?.Invoke(first.Previous!.InstanceId);
            var detected = detail?.ChangedAt ?? switched;
            var lastHealthy = detail?.LastHealthyAt ?? detected;
            events.Add(new FailoverEvent(first.Key, group.Select(d => d.Destination).ToList(), tables.Select(t => t.RouteTableId).ToList(),
                first.Previous!.InstanceId, first.Target!.InstanceId, detail?.Reason ?? "target not healthy", lastHealthy, detected, switched));
        }

        return events;
    }

    /// <summary>The tables as the applied plan leaves them (for the status view until the next describe).</summary>
    private static List<RouteTableSnapshot> Project(IReadOnlyList<RouteTableSnapshot> tables, ReconcilePlan plan) =>
        tables.Select(t =>
        {
            var routes = t.Routes.ToList();
            foreach (var op in plan.Operations.Where(o => o.RouteTableId == t.RouteTableId))
            {
                routes.RemoveAll(r => r.DestinationCidr == op.Destination && op.Kind != RouteOperationKind.Create);
                if (op.Kind != RouteOperationKind.Delete)
                {
                    routes.Add(new RouteEntry(op.Destination.ToString(), RouteTargetKind.NetworkInterface, null, op.Target!.InstanceId, op.Target.NetworkInterfaceId, RouteState.Active, "CreateRoute"));
                }
            }

            return t with { Routes = routes };
        }).ToList();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failover {Group}: {Routes} route(s) in {Tables} table(s) moved from {FromInstance} to {ToInstance} ({Reason}); detection {DetectionSeconds:0.00} s, switch {SwitchSeconds:0.00} s")]
    private partial void LogFailover(GroupKey group, int routes, int tables, string fromInstance, string toInstance, string reason, double detectionSeconds, double switchSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IPAM state was changed by another writer; reloaded it")]
    private partial void LogStateReloaded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm failovers by describing the tables ({Code}: {Error}); the next pass checks them")]
    private partial void LogConfirmFailed(string code, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPAM: {Change}")]
    private partial void LogStateLoaded(string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hosts: {Added} added, {Removed} removed ({InstanceIds})")]
    private partial void LogHosts(int added, int removed, string instanceIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogWarning(string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route target moved: {Cidr} (zone {Zone}, group {Group}) from {FromInstance} to {ToInstance}")]
    private partial void LogTargetMoved(RomanaAws.Core.Net.Cidr cidr, string zone, int group, string? fromInstance, string? toInstance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Tables} table(s): {Planned} route write(s) planned, {Applied} change(s) applied, {Errors} error(s) in {DurationMs:0} ms")]
    private partial void LogPass(int tables, int planned, int applied, int errors, double durationMs);
}
