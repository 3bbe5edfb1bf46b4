using System.Diagnostics;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Controller;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Health;
using RomanaAws.Core.Routing;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Faults;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Failover time, measured: the full controller (loop, health monitor at its defaults) against the simulator with
/// 50–150 ms API latency; per trial, the time from the instance stopping (EC2 path) or its health endpoint failing
/// while EC2 still says running (probe path) until every managed table points at the replacement, observed in the
/// simulator's tables directly. Flap damping is relaxed (the same groups fail over again and again on purpose).
/// Then the false-failover check: 10 hosts, 10 minutes of simulated probe rounds with 20 % of attempts dropped.
/// </summary>
public static class FailoverMeasurement
{
    public static async Task<int> RunAsync(int trials)
    {
        var ec2Path = await TrialsAsync(trials, probePath: false);
        var probePath = await TrialsAsync(trials, probePath: true);
        Report("EC2-state path (instance stopped)", ec2Path, "p50 ≤ 1.5 s, p99 ≤ 2.5 s");
        Report("probe path (health endpoint failing, EC2 says running)", probePath, "p99 ≤ 4 s");
        FalseFailovers();
        return 0;
    }

    private static async Task<List<double>> TrialsAsync(int trials, bool probePath)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path);
        scenario.HealthEndpoints = true;
        scenario.TransitionSeconds = 2;
        var directory = Directory.CreateTempSubdirectory("romana-failover-");
        await using var sim = await VpcSimulator.StartAsync(scenario);
        sim.Control.Faults = new FaultSettings { Latency = TimeSpan.FromMilliseconds(50), Jitter = TimeSpan.FromMilliseconds(100) };
        var config = ControllerConfig.Load(Path.Combine(AppContext.BaseDirectory, "controller.yaml"),
        [
            $"--aws:ec2ServiceUrl={sim.Endpoint}", $"--aws:cloudWatchServiceUrl={sim.Endpoint}", $"--controller:stateFile={Path.Combine(directory.FullName, "s.json")}",
            "--controller:listen=127.0.0.1:19610", "--health:maxFailovers=1000", "--health:holdSeconds=0", "--metrics:enabled=false",
        ]);
        using var cloudWatch = new CloudWatchQueryClient(new CloudWatchClientOptions { Region = "us-east-1", ServiceUrl = sim.Endpoint, Credentials = new BasicAWSCredentials("b", "b") });
        await using var app = ControllerHost.Build(config, new ControllerHostOptions
        {
            LogFormat = Environment.GetEnvironmentVariable("ROMANA_BENCH_LOGS") == "1" ? "text" : "quiet",
            ProbeTargets = ProbeTargets.Mapped(() => sim.Control.HealthEndpoints),
            CloudWatch = cloudWatch,
        });
        var status = app.Services.GetRequiredService<ControllerStatus>();
        var book = app.Services.GetRequiredService<HealthBook>();
        await app.StartAsync();
        await WaitAsync(() => status.Last?.Tables.All(t => t.InSync) == true && status.Last.Tables.Count > 0, TimeSpan.FromSeconds(30));

        var times = new List<double>();
        // Only groups with a second running host can fail over (a lone host's group keeps its route: NoHealthyTarget).
        var running = sim.Control.Instances().Where(i => i.State == "running").Select(i => i.Id).ToHashSet();
        var groups = status.Last!.Ipam.Routes.Where(r => r.Hosts.Count(running.Contains) >= 2).Select(r => r.Destination.ToString()).ToList();
        for (var trial = 0; trial < trials; trial++)
        {
            var destination = groups[trial % groups.Count];
            await WaitAsync(() => Target(sim, destination) is not null, TimeSpan.FromSeconds(10));
            var victim = Target(sim, destination);
            var victimId = sim.Control.Instances().Select(i => i.Id).First(id => status.Last!.Ipam.Routes.Single(r => r.Destination.ToString() == destination).Hosts.Contains(id)
                && Eni(sim, id) == victim);
            // A fair trial: every host of the group is trusted again (the one stopped or failed a few trials ago included),
            // so a replacement exists; otherwise the time measured would be that host's recovery, not the failover.
            var members = status.Last!.Ipam.Routes.Single(r => r.Destination.ToString() == destination).Hosts.Where(running.Contains).ToList();
            await WaitAsync(() => members.All(m => book.Get(m) is { State: TargetHealth.Healthy }) && Target(sim, destination) == victim, TimeSpan.FromSeconds(60));
            var clock = Stopwatch.StartNew();
            if (probePath)
            {
                sim.Control.SetHealthFailing(victimId, true);
            }
            else
            {
                await sim.Control.StopInstanceAsync(victimId);
            }

            await WaitAsync(() => Target(sim, destination) is { } now && now != victim, TimeSpan.FromSeconds(20));
            times.Add(clock.Elapsed.TotalSeconds);
            if (probePath)
            {
                sim.Control.SetHealthFailing(victimId, false);
            }
            else
            {
                await WaitAsync(() => sim.Control.Instances().Single(i => i.Id == victimId).State == "stopped", TimeSpan.FromSeconds(10));
                await sim.Control.StartInstanceAsync(victimId);
            }

            Console.Write(trial % 10 == 9 ? $"{trial + 1}\n" : ".");
        }

        await app.StopAsync();
        directory.Delete(recursive: true);
        return times;
    }

    private static string? Eni(VpcSimulator sim, string instanceId) => sim.Control.PrimaryInterface(instanceId);

    /// <summary>The single ENI every table points a destination at, or null while tables disagree.</summary>
    private static string? Target(VpcSimulator sim, string destination)
    {
        var enis = sim.Control.Routes().Where(r => r.Destination == destination).Select(r => r.NetworkInterfaceId).Distinct().ToList();
        return enis.Count == 1 ? enis[0] : null;
    }

    private static void Report(string name, List<double> seconds, string target)
    {
        var sorted = seconds.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine($"{name}: {sorted.Length} trials, p50 {P(0.5):0.00} s, p90 {P(0.9):0.00} s, p99 {P(0.99):0.00} s, max {sorted[^1]:0.00} s (target {target})");
    }

    private static void FalseFailovers()
    {
        var settings = new HealthSettings();
        var random = new Random(7);
        var failures = 0;
        var start = DateTimeOffset.UnixEpoch;
        for (var host = 0; host < 10; host++)
        {
            var health = HostHealth.New(start);
            for (var second = 1; second <= 600; second++)
            {
                var passed = Enumerable.Range(0, settings.AttemptsPerRound).Any(_ => random.NextDouble() >= 0.2);
                var next = health.Observe(new ProbeRound(start.AddSeconds(second), Ec2Signal.Running, passed), settings);
                failures += next.State == TargetHealth.Failed && health.State != TargetHealth.Failed ? 1 : 0;
                health = next;
            }
        }

        Console.WriteLine($"false failures with 20 % of probe attempts dropped: {failures} over 10 hosts × 600 rounds (10 min simulated; {settings.AttemptsPerRound} attempts per round, failAfter {settings.FailAfter})");
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
