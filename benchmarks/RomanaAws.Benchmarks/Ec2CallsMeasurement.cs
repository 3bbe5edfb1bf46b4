using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Aws;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Benchmarks;

/// <summary>
/// A measured run through the real SDK against the simulator: the EC2 calls a reconcile makes from empty and in
/// steady state, for the shipped 3-zone scenario and for 5,000 instances with 20 route tables; and, in the same
/// run, what kubenet's per-node-route model would need for the same cluster.
/// </summary>
public static class Ec2CallsMeasurement
{
    private static readonly string[] Mutating = ["CreateRoute", "ReplaceRoute", "DeleteRoute", "ModifyNetworkInterfaceAttribute"];

    public static async Task<int> RunAsync()
    {
        await MeasureAsync("shipped 3-zone scenario (10 nodes, 3 tables)", Shipped(), 10);
        await MeasureAsync($"{ClusterScenario.HostCount} nodes, {RoutingScenario.Tables} tables", Large(), ClusterScenario.HostCount);
        return 0;
    }

    private static async Task MeasureAsync(string name, ScenarioFile scenario, int nodes)
    {
        scenario.HealthEndpoints = false;
        scenario.TransitionSeconds = 0;
        scenario.Throttling.Enabled = false;
        var directory = Directory.CreateTempSubdirectory("romana-calls-");
        await using var sim = await VpcSimulator.StartAsync(scenario);
        // The simulator runs unthrottled here, so pacing is lifted to count calls quickly; against AWS the controller
        // paces mutating calls at 4/s (see the note on first-pass time in docs/benchmarks.md).
        var aws = new AwsOptions { Region = "us-east-1", Ec2ServiceUrl = sim.Endpoint, MutationsPerSecond = 10_000, MutationBurst = 10_000, MaxConcurrency = 8 };
        using var api = new Ec2Api(Ec2ClientFactory.Create(aws, new BasicAWSCredentials("bench", "bench")), aws, TimeProvider.System, NullLogger<Ec2Api>.Instance);
        var topology = ClusterScenario.Topology with { Cluster = "bench.k8s.local" };
        var settings = new ControllerSettings { StateFile = Path.Combine(directory.FullName, "state.json"), MaxDeletesPerPass = 5 };
        var reconciler = new Reconciler(api, topology, settings, new FileIpamStateStore(settings.StateFile), TimeProvider.System, NullLoggerFactory.Instance);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await reconciler.ReconcileAsync(CancellationToken.None);
        var firstTime = clock.Elapsed;
        var firstCalls = sim.Control.Calls;
        sim.Control.ResetCalls();
        clock.Restart();
        var steady = await reconciler.ReconcileAsync(CancellationToken.None);
        var steadyTime = clock.Elapsed;
        var steadyCalls = sim.Control.Calls;

        var tables = first.Tables.Count;
        var routesPerTable = first.Ipam.RoutesPerTable;
        Console.WriteLine($"== {name}");
        Console.WriteLine($"  RomanaAws: {routesPerTable} route(s) per table ({first.Ipam.Hosts} hosts), first pass {Describe(firstCalls)} in {firstTime.TotalSeconds:0.0} s unpaced; at EC2's 5 mutating calls/s: {FirstPassMutating(firstCalls) / 5.0 / 60:0.0} min");
        Console.WriteLine($"  RomanaAws steady state: {Describe(steadyCalls)} in {steadyTime.TotalMilliseconds:0} ms; converged={steady.Plan.IsConverged}, errors={steady.Errors.Count}");
        Console.WriteLine($"  kubenet model: {nodes} route(s) per table (one per node; quota 50 by default, 1,000 at most): " +
                          $"{(long)nodes * tables} CreateRoute calls to converge, {tables} per node added; " +
                          $"{(nodes > 1000 ? "impossible past 1,000 nodes" : nodes > 50 ? "past the default quota" : "fits")}");
        Console.WriteLine($"  RomanaAws per node added to a non-empty group: 0 route writes (joins its group's aggregate)");
        directory.Delete(recursive: true);
    }

    private static long FirstPassMutating(IReadOnlyDictionary<string, long> calls) => Mutating.Sum(a => calls.GetValueOrDefault(a));

    private static string Describe(IReadOnlyDictionary<string, long> calls)
    {
        var mutating = Mutating.Sum(a => calls.GetValueOrDefault(a));
        var describe = calls.Where(c => c.Key.StartsWith("Describe", StringComparison.Ordinal)).Sum(c => c.Value);
        return $"{mutating} mutating + {describe} describe call(s) [{string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}]";
    }

    private static ScenarioFile Shipped()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path);
        foreach (var instance in scenario.Instances.Where(i => i.Tags.ContainsKey("KubernetesCluster")))
        {
            instance.Tags["KubernetesCluster"] = "bench.k8s.local";
        }

        foreach (var table in scenario.RouteTables.Where(t => t.Tags.ContainsKey("KubernetesCluster")))
        {
            table.Tags["KubernetesCluster"] = "bench.k8s.local";
        }

        return scenario;
    }

    /// <summary>5,000 instances over 3 zones × 2 subnets, 20 route tables tagged for the cluster.</summary>
    private static ScenarioFile Large()
    {
        var scenario = new ScenarioFile
        {
            Vpc = new VpcSpec { Cidr = "172.16.0.0/12" },
            Zones = [.. ClusterScenario.Zones],
            RouteLimit = 50,
        };
        for (var s = 0; s < 6; s++)
        {
            scenario.Subnets.Add(new SubnetSpec { Name = $"s{s}", Id = $"subnet-{s + 1:x17}", Zone = ClusterScenario.Zones[s / 2], Cidr = $"172.{16 + s}.0.0/16" });
        }

        for (var t = 0; t < RoutingScenario.Tables; t++)
        {
            scenario.RouteTables.Add(new RouteTableSpec
            {
                Name = $"t{t}",
                Main = t == 0,
                Subnets = t < 6 ? [$"s{t}"] : [],
                Tags = new Dictionary<string, string> { ["KubernetesCluster"] = "bench.k8s.local" },
                Routes = [new RouteSpec { Destination = "0.0.0.0/0", NatGateway = "nat-0123456789abcdef0" }],
            });
        }

        foreach (var host in ClusterScenario.Hosts)
        {
            var subnet = int.Parse(host.SubnetId[7..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) - 1;
            scenario.Instances.Add(new InstanceSpec
            {
                Name = host.InstanceId,
                Id = host.InstanceId,
                Subnet = $"s{subnet}",
                Tags = new Dictionary<string, string> { ["KubernetesCluster"] = "bench.k8s.local" },
            });
        }

        return scenario;
    }
}
