using System.Diagnostics;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Ipam = RomanaAws.Core.Ipam.Ipam;
using RomanaAws.Etcd;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Tests.Shared;

/// <summary>
/// Controller replicas as processes on one simulator (the shipped 3-zone scenario, its agents' health endpoints on
/// loopback) and a real 3-member etcd: what the kill -9 / SIGSTOP tests and the takeover benchmark run. Each replica
/// signs its EC2 calls with its own access key id, so the simulator's write log says who wrote what, in order.
/// </summary>
internal sealed class ReplicaRig : IAsyncDisposable
{
    private readonly List<ControllerProcess> _replicas = [];
    private readonly Dictionary<string, string> _settings;

    private ReplicaRig(EtcdCluster etcd, VpcSimulator simulator, string cli, double mutationsPerSecond, int burst)
    {
        Etcd = etcd;
        Simulator = simulator;
        Cli = cli;
        Ec2 = new AmazonEC2Client(new BasicAWSCredentials("rig", "rig"), new AmazonEC2Config { ServiceURL = simulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        _settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ROMANA_AWS__EC2SERVICEURL"] = simulator.Endpoint.ToString(),
            ["ROMANA_AWS__CLOUDWATCHSERVICEURL"] = simulator.Endpoint.ToString(),
            ["ROMANA_AWS__RETRYBASEDELAYMS"] = "20",
            ["ROMANA_AWS__MUTATIONSPERSECOND"] = mutationsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ROMANA_AWS__MUTATIONBURST"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ROMANA_CONTROLLER__STATEBACKEND"] = "etcd",
            ["ROMANA_CONTROLLER__RESYNCSECONDS"] = "5",
            ["ROMANA_METRICS__PUBLISHSECONDS"] = "10",
        };
        for (var i = 0; i < etcd.Endpoints.Count; i++)
        {
            _settings[$"ROMANA_ETCD__ENDPOINTS__{i}"] = etcd.Endpoints[i].ToString();
        }
    }

    public EtcdCluster Etcd { get; }

    public VpcSimulator Simulator { get; }

    public string Cli { get; }

    /// <summary>A plain SDK client to look at the world independently of the controllers.</summary>
    public AmazonEC2Client Ec2 { get; }

    public IReadOnlyList<ControllerProcess> Replicas => _replicas;

    public static string Config => Path.Combine(Repo.Root, "examples", "controller.yaml");

    /// <summary>Why the rig cannot run here (no etcd, CLI not built), or null.</summary>
    public static string? Missing() => EtcdCluster.Missing() ?? (ControllerProcess.Cli() is null ? "the CLI is not built (src/RomanaAws.Cli/bin/CONFIGURATION/net10.0/romana-aws)" : null);

    /// <param name="mutationsPerSecond">Each replica's EC2 write rate (its own limiter, at most 5): low makes a pass from scratch take seconds, so it can be interrupted mid-way.</param>
    /// <param name="burst">Writes a replica may make at once before the rate applies (1: every write paced).</param>
    public static async Task<ReplicaRig> StartAsync(double mutationsPerSecond, int burst = 1)
    {
        var scenario = ScenarioLoader.Parse(File.ReadAllText(Path.Combine(Repo.Root, "examples", "sim-3zone.yaml")), "sim-3zone.yaml");
        scenario.TransitionSeconds = 0;
        scenario.HealthEndpoints = true;
        scenario.Throttling.Enabled = false;
        var etcd = await EtcdCluster.StartAsync(3);
        try
        {
            return new ReplicaRig(etcd, await VpcSimulator.StartAsync(scenario), ControllerProcess.Cli()!, mutationsPerSecond, burst);
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more replica, signing its EC2 calls as <paramref name="caller"/>.</summary>
    public ControllerProcess Start(string caller, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(_settings, StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var replica = ControllerProcess.Start(Cli, Config, caller, settings);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>Starts replica-a and replica-b; once one of them leads, returns (leader, standby).</summary>
    public async Task<(ControllerProcess Leader, ControllerProcess Standby)> StartPairAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? extra = null)
    {
        var a = Start("replica-a", extra);
        var b = Start("replica-b", extra);
        var leader = await LeaderAsync(timeout, a, b);
        return (leader, leader == a ? b : a);
    }

    /// <summary>Waits until exactly one of <paramref name="replicas"/> says it leads, and returns it.</summary>
    public static async Task<ControllerProcess> LeaderAsync(TimeSpan timeout, params ControllerProcess[] replicas)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var leaders = new List<ControllerProcess>();
            foreach (var replica in replicas.Where(r => !r.HasExited))
            {
                if (await replica.RoleAsync() == "leader")
                {
                    leaders.Add(replica);
                }
            }

            if (leaders.Count == 1)
            {
                return leaders[0];
            }

            if (clock.Elapsed > timeout || replicas.All(r => r.HasExited))
            {
                throw new TimeoutException($"no single leader ({replicas.Count(r => r.HasExited)} of {replicas.Length} exited) within {timeout.TotalSeconds:0} s ({leaders.Count} say they lead); output:\n" + string.Join("\n---\n", replicas.Select(r => $"{r.Caller}:\n{Tail(r.Output)}")));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    /// <summary>Mutating EC2 calls signed by <paramref name="caller"/>, in arrival order.</summary>
    public IReadOnlyList<VpcSim.Audit.WriteRecord> WritesBy(string caller) => Simulator.Control.Writes.Where(w => w.Caller == caller).ToList();

    /// <summary>The state as etcd holds it, read by a store of its own (what a fresh replica would load).</summary>
    public async Task<Ipam> StateAsync(Core.Topology.TopologyConfig topology)
    {
        using var etcd = new EtcdConnection(new EtcdOptions { Endpoints = Etcd.Endpoints, Prefix = EtcdOptions.DefaultPrefix(topology.Cluster) });
        var document = await new EtcdIpamStateStore(etcd).LoadAsync(CancellationToken.None) ?? throw new InvalidOperationException("no state in etcd");
        return Ipam.FromDocument(document, "etcd");
    }

    /// <summary>The managed tables (tagged for the cluster) as EC2 has them now.</summary>
    public async Task<List<RouteTable>> ManagedTablesAsync(string cluster) =>
        (await Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest())).RouteTables.Where(t => (t.Tags ?? []).Any(g => g.Key == "KubernetesCluster" && g.Value == cluster)).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Ec2.Dispose();
        await Simulator.DisposeAsync();
        await Etcd.DisposeAsync();
    }

    public static string Tail(string output, int lines = 40) => string.Join('\n', output.Split('\n').TakeLast(lines));
}
