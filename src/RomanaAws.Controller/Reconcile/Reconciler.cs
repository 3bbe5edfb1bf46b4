using Microsoft.Extensions.Logging;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// One reconcile pass, level-triggered: a full snapshot (one paged DescribeInstances, one DescribeRouteTables) →
/// host sync into the IPAM (saved when changed) → desired routes (pure) → plan (pure) → apply under the API budget.
/// A converged world costs two describe calls and no mutating call. Not thread-safe: the loop runs one pass at a time.
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
    private readonly Dictionary<string, DateTimeOffset> _goneSince = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    public Reconciler(IEc2Api ec2, TopologyConfig topology, ControllerSettings settings, IIpamStateStore store, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _ec2 = ec2;
        _discovery = new ClusterDiscovery(ec2, topology, settings);
        _topology = topology;
        _settings = settings;
        _store = new IpamStore(store, topology);
        _applier = new RouteApplier(ec2, loggers.CreateLogger<RouteApplier>());
        _time = time;
        _logger = loggers.CreateLogger<Reconciler>();
    }

    /// <summary>Health of a candidate target; EC2 state alone until health checks are configured.</summary>
    public Func<InstanceSnapshot, TargetHealth> Health { get; set; } = DesiredState.FromInstanceState;

    /// <summary>Why a host is not healthy, and since when (for failover events); null when health checks are off.</summary>
    public Func<string, Core.Health.HostHealth?>? HealthDetail { get; set; }

    /// <summary>Flap damping (hold time, failovers per window); null to move routes whenever a target is unhealthy.</summary>
    public Core.Health.FailoverDamper? Damper { get; set; }

    /// <summary>What Kubernetes says about the Nodes (deleted Nodes, zones); null while Kubernetes is off or not yet listed.</summary>
    public Func<Kubernetes.NodeFacts?>? Nodes { get; set; }

    public IpamStore Ipam => _store;

    /// <summary>The snapshot of the last pass (read by the health monitor on its own thread).</summary>
    public ClusterSnapshot? LastSnapshot { get; private set; }

    /// <summary>Instances that are route targets after the last pass.</summary>
    public IReadOnlySet<string> CurrentTargets { get; private set; } = new HashSet<string>();

    /// <summary>Instances registered in the IPAM after the last pass.</summary>
    public IReadOnlySet<string> RegisteredHosts { get; private set; } = new HashSet<string>();

    public void Dispose() => _gate.Dispose();

    /// <summary>One node's desired routing and owners (for its agent); waits for a running pass to finish. Null for an unknown host.</summary>
    public async Task<Core.Agents.AgentDesiredState?> AgentStateAsync(string instanceId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                await _store.LoadAsync(cancellationToken);
                _loaded = true;
            }

            return Core.Agents.AgentView.For(_store.Ipam, instanceId);
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
            _loaded = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await PassAsync(cancellationToken);
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
        if (!_loaded)
        {
            await _store.LoadAsync(cancellationToken);
            foreach (var change in _store.LoadChanges)
            {
                LogStateLoaded(change);
            }

            _loaded = true;
        }

        if (_store.Dirty && !await _store.SaveAsync(cancellationToken))
        {
            LogStateReloaded();
        }

        var view = await _discovery.DiscoverAsync(started, cancellationToken);
        var (snapshot, vpc, (managed, how, selectionWarnings), selection) = view;
        var instances = snapshot.Instances;
        foreach (var problem in selection)
        {
            LogWarning(problem);
        }

        var nodes = Nodes?.Invoke();
        var hosts = HostSync.Apply(_store.Ipam, instances, _goneSince, started, TimeSpan.FromSeconds(_settings.HostGraceSeconds), nodes?.Deleted);
        if (hosts.Changed && !await _store.SaveAsync(cancellationToken))
        {
            // Another writer changed the state: it is reloaded; sync the hosts again on top of it.
            LogStateReloaded();
            hosts = HostSync.Apply(_store.Ipam, instances, _goneSince, started, TimeSpan.FromSeconds(_settings.HostGraceSeconds), nodes?.Deleted);
            if (hosts.Changed)
            {
                await _store.SaveAsync(cancellationToken);
            }
        }

        if (hosts.Changed)
        {
            var changed = string.Join(", ", hosts.Added.Concat(hosts.Removed));
            LogHosts(hosts.Added.Count, hosts.Removed.Count, changed);
        }

        var ipamPlan = _store.Ipam.Plan();
        var networks = _topology.Networks.Select(n => n.Cidr).ToList();
        var desired = view.Desired(ipamPlan, Health, Damper is null ? null : (key, health) => Damper.MayMove(key, health, started));
        var routers = instances.Where(i => _store.Ipam.HasHost(i.InstanceId)).ToList();
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

        var apply = plan.IsConverged ? ApplyResult.Nothing : await _applier.ApplyAsync(plan, _settings.DryRun, cancellationToken);
        var after = apply.Applied > 0 && !_settings.DryRun ? Project(managed, plan) : managed;
        LastSnapshot = snapshot;
        CurrentTargets = desired.Where(d => d.Target is not null).Select(d => d.Target!.InstanceId).ToHashSet(StringComparer.Ordinal);
        RegisteredHosts = _store.Ipam.Hosts.Select(h => h.InstanceId).ToHashSet(StringComparer.Ordinal);
        CurrentBlocks = ipamPlan.Blocks;

        // Damping counts every move that was written, confirmed or not; events are recorded once confirmed.
        foreach (var moved in desired.Where(d => d.Choice == TargetChoice.Failover && !apply.Failed(d.Destination)).Select(d => d.Key).Distinct())
        {
            Damper?.Record(moved, _time.GetUtcNow());
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

            var detail = HealthDetail?.Invoke(first.Previous!.InstanceId);
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
