using RomanaAws.VpcSim.CloudWatch;
using RomanaAws.VpcSim.Ec2;
using RomanaAws.VpcSim.Faults;
using RomanaAws.VpcSim.Health;
using RomanaAws.VpcSim.Scenario;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim;

/// <summary>
/// The in-process control API (the admin HTTP API calls the same methods): instance lifecycle, health and status
/// faults, API faults, call counters, reset.
/// </summary>
public sealed class SimulatorControl
{
    private readonly SimWorld _world;
    private readonly MetricStore _metrics;
    private readonly SimulatorState _state;
    private readonly QueryEndpoint _endpoint;
    private readonly HealthEndpoints _health;
    private readonly ScenarioFile _scenario;

    internal SimulatorControl(SimWorld world, MetricStore metrics, SimulatorState state, QueryEndpoint endpoint, HealthEndpoints health, ScenarioFile scenario)
    {
        _world = world;
        _metrics = metrics;
        _state = state;
        _endpoint = endpoint;
        _health = health;
        _scenario = scenario;
    }

    public Task StopInstanceAsync(string instanceId) => ChangeAsync(() => _world.Stop(instanceId, dryRun: false));

    public Task StartInstanceAsync(string instanceId) => ChangeAsync(() => _world.Start(instanceId, dryRun: false));

    public Task TerminateInstanceAsync(string instanceId) => ChangeAsync(() => _world.Terminate(instanceId, dryRun: false));

    /// <summary>
    /// Launches one more instance like <paramref name="instanceId"/>: same subnet, same tags (so the same instance
    /// group, as an autoscaling group adds a node), a new id and the subnet's next free address; pending for the
    /// scenario's transition time, then running, as RunInstances does. Returns the new id and private IP.
    /// </summary>
    public async Task<(string Id, string PrivateIp)> CloneInstanceAsync(string instanceId)
    {
        (string, string) launched;
        lock (_world.Sync)
        {
            var source = _world.Instance(instanceId);
            var pending = _world.Settings.TransitionTime > TimeSpan.Zero;
            var instance = _world.AddInstance(null, source.Subnet, null, pending ? InstanceState.Pending : InstanceState.Running, source.ImageId, source.InstanceType);
            instance.Tags.SetAll(source.Tags.All);
            if (pending)
            {
                instance.Transition = (InstanceState.Running, _world.Now + _world.Settings.TransitionTime);
            }

            _world.Written();
            launched = (instance.Id, instance.PrivateIp.ToString());
        }

        await SyncHealthAsync();
        return launched;
    }

    /// <summary>Makes the instance's simulated node-agent health endpoint answer 503 (or healthy again).</summary>
    public void SetHealthFailing(string instanceId, bool failing) => Change(() => _world.Instance(instanceId).HealthFailing = failing);

    /// <summary>Makes EC2 status checks report the instance impaired, and/or shows a scheduled event (e.g. system-maintenance).</summary>
    public void SetStatus(string instanceId, bool impaired, string? scheduledEvent)
    {
        Change(() =>
        {
            var instance = _world.Instance(instanceId);
            instance.StatusImpaired = impaired;
            instance.ScheduledEvent = scheduledEvent;
        });
    }

    /// <summary>Drops this fraction (0–1) of health-endpoint requests at random, as a lossy network would.</summary>
    public double HealthDropRate
    {
        get => _state.HealthDropRate;
        set => _state.HealthDropRate = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a fraction from 0 to 1");
    }

    /// <summary>The primary network interface of an instance (null when gone).</summary>
    public string? PrimaryInterface(string instanceId)
    {
        lock (_world.Sync)
        {
            return _world.Instances.TryGetValue(instanceId, out var i) && !i.Primary.Deleted ? i.Primary.Id : null;
        }
    }

    /// <summary>Every managed route of every table: table id, destination, ENI (null for non-ENI targets), state. No API call, no throttling.</summary>
    public IReadOnlyList<(string Table, string Destination, string? NetworkInterfaceId, string State)> Routes()
    {
        lock (_world.Sync)
        {
            return _world.RouteTables.Values.SelectMany(t => t.Routes.Select(r => (t.Id, r.DestinationCidrBlock, r.NetworkInterfaceId, _world.RouteState(r)))).ToList();
        }
    }

    /// <summary>The data plane as one snapshot (see <see cref="Dataplane.VpcDataplane"/>). No API call, no throttling.</summary>
    public Dataplane.VpcDataplane Dataplane()
    {
        lock (_world.Sync)
        {
            var instances = _world.CurrentInstances().ToList();
            var main = _world.RouteTables.Values.FirstOrDefault(t => t.IsMain)?.Id ?? "";
            var tableOf = _world.RouteTables.Values.SelectMany(t => t.Associations.Where(a => a.SubnetId is not null).Select(a => (a.SubnetId!, t.Id))).ToDictionary(a => a.Item1, a => a.Item2, StringComparer.Ordinal);
            var subnets = _world.Subnets.Values.OrderBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => new Dataplane.DataplaneSubnet(s.Id, s.Zone, s.Cidr.ToString(), tableOf.GetValueOrDefault(s.Id, main))).ToList();
            var tables = _world.RouteTables.Values.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => new Dataplane.DataplaneTable(t.Id, t.IsMain, t.Routes.Select(Resolve).ToList())).ToList();
            return new Dataplane.VpcDataplane(
                _world.Vpcs.Values.FirstOrDefault()?.Cidr.ToString() ?? "",
                subnets,
                tables,
                instances.Where(i => i.State != World.InstanceState.Terminated).OrderBy(i => i.Id, StringComparer.Ordinal)
                    .Select(i => new Dataplane.DataplaneInstance(i.Id, i.Tags.Get("Name"), i.Subnet.Id, i.PrivateIp.ToString(), i.State.Name(), !i.Primary.SourceDestCheck)).ToList(),
                _world.LastWrite);
        }
    }

    private Dataplane.DataplaneRoute Resolve(World.SimRoute route)
    {
        switch (route.Kind)
        {
            case World.RouteTargetKind.Local:
                return new(route.DestinationCidrBlock, "local", null, "local");
            case World.RouteTargetKind.Instance or World.RouteTargetKind.NetworkInterface:
                if (_world.RouteState(route) != "active" || route.NetworkInterfaceId is not { } eniId || !_world.Interfaces.TryGetValue(eniId, out var eni))
                {
                    return new(route.DestinationCidrBlock, "blackhole", null, route.NetworkInterfaceId);
                }

                return new(route.DestinationCidrBlock, "instance", eni.PrivateIp.ToString(), eni.InstanceId);
            default:
                return new(route.DestinationCidrBlock, "external", null, route.TargetId);
        }
    }

    public FaultSettings Faults
    {
        get => _state.Faults;
        set => _state.Faults = value ?? FaultSettings.None;
    }

    /// <summary>Calls per action since start or the last reset (failed and throttled calls included).</summary>
    public IReadOnlyDictionary<string, long> Calls => _endpoint.Calls.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    public void ResetCalls() => _endpoint.Calls.Clear();

    /// <summary>
    /// Every mutating EC2 call since start or the last reset, in arrival order, each with the access key id that signed
    /// it (give each controller replica its own key to tell their writes apart).
    /// </summary>
    public IReadOnlyList<Audit.WriteRecord> Writes => _endpoint.Writes.Records;

    public void ResetWrites() => _endpoint.Writes.Clear();

    /// <summary>Health URL of each instance's simulated agent (empty unless the scenario enables health endpoints).</summary>
    public IReadOnlyDictionary<string, Uri> HealthEndpoints => _health.Endpoints;

    /// <summary>Puts the world back as the scenario describes it; clears metrics, alarms, faults and counters.</summary>
    public async Task ResetAsync()
    {
        lock (_world.Sync)
        {
            _world.Clear();
            ScenarioSeeder.Seed(_world, _scenario);
            _metrics.Clear();
        }

        _state.Faults = FaultSettings.None;
        _endpoint.Calls.Clear();
        _endpoint.Writes.Clear();
        await SyncHealthAsync();
    }

    /// <summary>A snapshot of instances: id, name tag, state, private IP.</summary>
    public IReadOnlyList<(string Id, string? Name, string State, string PrivateIp)> Instances()
    {
        lock (_world.Sync)
        {
            return _world.CurrentInstances().Select(i => (i.Id, i.Tags.Get("Name"), i.State.Name(), i.PrivateIp.ToString())).ToList();
        }
    }

    internal Task SyncHealthAsync() => _scenario.HealthEndpoints ? _health.SyncAsync(CancellationToken.None) : Task.CompletedTask;

    private void Change(Action change)
    {
        lock (_world.Sync)
        {
            change();
            _world.Written();
        }
    }

    private async Task ChangeAsync(Func<SimWorld.StateChange> change)
    {
        lock (_world.Sync)
        {
            change();
            _world.Written();
        }

        await SyncHealthAsync();
    }
}
