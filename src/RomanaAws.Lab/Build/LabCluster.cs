using System.Diagnostics;
using RomanaAws.Lab.Router;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Dataplane;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Lab.Build;

/// <summary>
/// A whole cluster in network namespaces (docs/lab.md): the simulator's subnets as bridges of a VPC router namespace
/// whose kernel tables follow the simulator's route tables; every instance a node namespace with its private IP; on
/// the master node the simulator, the controller and the router follower; on every node the real agent with its CNI
/// socket; pods made by the real CNI plugin. Traffic stays inside the namespaces it creates.
/// </summary>
public sealed class LabCluster : IAsyncDisposable
{
    public const int SimPort = 4566;
    private readonly List<LabProcess> _processes = [];
    private readonly TextWriter _log;

    private LabCluster(TextWriter log) => _log = log;

    public VpcDataplane Initial { get; private set; } = null!;

    public DataplaneInstance Master { get; private set; } = null!;

    public List<LabPod> Pods { get; } = [];

    public TimeSpan BuildTime { get; private set; }

    public static async Task<LabCluster> UpAsync(LabOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new LabCluster(log);
        try
        {
            await cluster.BuildAsync(options, cancellationToken);
            return cluster;
        }
        catch
        {
            // A half-built lab is removed at once (not only by the next start).
            await cluster.DisposeAsync();
            LabCleanup.Run();
            throw;
        }
    }

    private async Task BuildAsync(LabOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var removed = LabCleanup.Run();
        if (removed > 0)
        {
            await _log.WriteLineAsync($"removed {removed} namespace(s) left by an earlier run");
        }

        Directory.CreateDirectory(LabNames.RunDirectory);
        var scenarioPath = Path.Combine(LabNames.RunDirectory, "scenario.yaml");
        // The nodes' real agents answer the health checks: the simulator's own health endpoints stay off.
        var text = string.Join('\n', (await File.ReadAllLinesAsync(options.Scenario, cancellationToken)).Where(l => !l.TrimStart().StartsWith("healthEndpoints:", StringComparison.Ordinal)));
        await File.WriteAllTextAsync(scenarioPath, text + "\n", cancellationToken);
        var scenario = ScenarioLoader.Parse(text, options.Scenario);
        await using (var sim = await VpcSimulator.StartAsync(scenario, cancellationToken: cancellationToken))
        {
            Initial = sim.Control.Dataplane();
        }

        var state = RouterPlan.For(Initial);
        var router = RouterNamespace.Create(state);
        router.Follow(Initial);
        foreach (var instance in Initial.Instances)
        {
            NodeNamespace.Create(instance, state.Subnets.Single(s => s.SubnetId == instance.SubnetId));
        }

        Master = Initial.Instances.FirstOrDefault(i => i.State == "running" && (i.Name ?? "").StartsWith("master", StringComparison.Ordinal))
            ?? throw new LabException($"the scenario {options.Scenario} has no running instance named master-*: the lab runs the simulator and the controller there");
        await _log.WriteLineAsync($"network: {state.Subnets.Count} subnet bridge(s), {state.Tables.Count} route table(s), {Initial.Instances.Count} node(s) in {clock.ElapsedMilliseconds} ms");

        var masterNs = LabNames.Node(Master.Id);
        Start(masterNs, "sim", options, ["sim", "--scenario", scenarioPath, "--bind", "127.0.0.1", "--port", SimPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await WaitForPortAsync(masterNs, "127.0.0.1", SimPort, "the simulator", cancellationToken);
        Start(masterNs, "router", options, ["lab", "router", "--sim", $"http://127.0.0.1:{SimPort}/"]);
        var controllerEnvironment = new Dictionary<string, string>
        {
            ["ROMANA_CONTROLLER__LISTEN"] = "0.0.0.0:9610",
            ["ROMANA_CONTROLLER__STATEFILE"] = Path.Combine(LabNames.RunDirectory, "ipam-state.json"),
            ["ROMANA_CONTROLLER__RESYNCSECONDS"] = "5",
            ["ROMANA_AWS__EC2SERVICEURL"] = $"http://127.0.0.1:{SimPort}/",
            ["ROMANA_AWS__CLOUDWATCHSERVICEURL"] = $"http://127.0.0.1:{SimPort}/",
            ["ROMANA_HEALTH__TARGETS"] = "privateIp",
        };
        if (options.LiftFailoverCap)
        {
            // Trials fail the same groups over and back again and again: past 5 moves in 10 minutes the default damping
            // would (rightly) freeze them. Only the cap is lifted; detection, hold time and probes stay default.
            controllerEnvironment["ROMANA_HEALTH__MAXFAILOVERS"] = "1000";
        }

        Start(masterNs, "controller", options, ["controller", "--config", options.ControllerConfig], controllerEnvironment);
        await WaitForPortAsync(masterNs, "127.0.0.1", 9610, "the controller", cancellationToken);
        foreach (var node in Initial.Instances.Where(i => i.State == "running"))
        {
            var dir = Path.Combine(LabNames.RunDirectory, node.Id);
            Start(LabNames.Node(node.Id), $"agent-{node.Id}", options, ["agent", "--controller", $"http://{Master.PrivateIp}:9610/", "--instance-id", node.Id, "--listen", "0.0.0.0:9612",
                "--poll-seconds", "1", "--resync-seconds", "5", "--cni-socket", Path.Combine(dir, "cni.sock"), "--cni-checkpoint", Path.Combine(dir, "cni-ipam.json")]);
        }

        await _log.WriteLineAsync($"processes: simulator, router follower and controller on {Master.Id} ({Master.PrivateIp}); an agent on each of {Initial.Instances.Count(i => i.State == "running")} running node(s)");
        foreach (var node in Initial.Instances.Where(i => i.State == "running" && i.Id != Master.Id && Initial.Subnets.Any(s => s.Id == i.SubnetId && IsCluster(i))))
        {
            for (var k = 0; k < options.PodsPerNode; k++)
            {
                Pods.Add(await AddPodAsync(options, node, k, cancellationToken));
            }
        }

        BuildTime = clock.Elapsed;
        await _log.WriteLineAsync($"pods: {Pods.Count} ({string.Join(", ", Pods.Select(p => $"{p.Namespace[LabNames.Prefix.Length..]}={p.Address}"))}); built in {BuildTime.TotalSeconds:0.0} s");
    }

    private static bool IsCluster(DataplaneInstance instance) => (instance.Name ?? "").StartsWith("nodes", StringComparison.Ordinal);

    private async Task<LabPod> AddPodAsync(LabOptions options, DataplaneInstance node, int index, CancellationToken cancellationToken)
    {
        var pod = LabNames.Pod(node.Id, index);
        Shell.Run("ip", "netns", "add", pod);
        var config = $$"""{"cniVersion":"1.0.0","name":"romana-aws","type":"romana-aws-cni","agentSocket":"{{Path.Combine(LabNames.RunDirectory, node.Id, "cni.sock")}}"}""";
        var deadline = Stopwatch.StartNew();
        string last = "";
        // Generous: on a loaded 2-core machine ten agents start (JIT) and claim their first blocks at once.
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            try
            {
                var output = Shell.Run("nsenter", [$"--net=/run/netns/{LabNames.Node(node.Id)}", "--", "env", "CNI_COMMAND=ADD", $"CNI_CONTAINERID={pod}", $"CNI_NETNS=/run/netns/{pod}", "CNI_IFNAME=eth0",
                    "CNI_PATH=/usr/lib/cni", "CNI_ARGS=K8S_POD_NAMESPACE=default", options.Plugin], config);
                using var result = System.Text.Json.JsonDocument.Parse(output);
                var address = result.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
                Shell.Run("ip", "-n", pod, "link", "set", "lo", "up");
                return new LabPod(pod, node.Id, Initial.Subnets.Single(s => s.Id == node.SubnetId).Zone, address);
            }
            catch (LabException e)
            {
                last = e.Message;
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }

        throw new LabException($"pod {pod} on {node.Id} got no address in 180 s: {last}");
    }

    private void Start(string netns, string name, LabOptions options, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        _processes.Add(LabProcess.Start(netns, name, options.RomanaAws, options.RomanaAwsPrefix.Concat(args).ToList(), environment));

    private async Task WaitForPortAsync(string netns, string address, int port, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Shell.TryRun("nsenter", $"--net=/run/netns/{netns}", "--", "nc", "-z", "-w", "1", address, port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return;
            }

            if (_processes.FirstOrDefault(p => p.Exited) is { } dead)
            {
                throw new LabException($"{dead.Name} exited while waiting for {what}; see {dead.Log}: {string.Join(" | ", File.ReadLines(dead.Log).TakeLast(5))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new LabException($"{what} did not listen on {address}:{port} in {netns} within 60 s");
    }

    /// <summary>Pings every pod from every other pod (in parallel); returns the pairs that failed.</summary>
    public async Task<List<(LabPod From, LabPod To)>> UnreachableAsync(CancellationToken cancellationToken)
    {
        var pairs = Pods.SelectMany(a => Pods.Where(b => b != a).Select(b => (a, b))).ToList();
        var failed = new System.Collections.Concurrent.ConcurrentBag<(LabPod, LabPod)>();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, (pair, _) =>
        {
            if (!Shell.TryRun("nsenter", $"--net=/run/netns/{pair.a.Namespace}", "--", "ping", "-c", "1", "-W", "2", pair.b.Address))
            {
                failed.Add(pair);
            }

            return ValueTask.CompletedTask;
        });
        return failed.ToList();
    }

    /// <summary>
    /// Failover in packets: a pod in another zone pings (every <paramref name="interval"/>) a pod whose group's route
    /// targets another node; that router node is stopped in the simulator (<paramref name="stop"/> true: EC2 path) or
    /// its agent stops answering its health check while EC2 says running (probe path); returns the blackout. The node is started again
    /// (or made healthy) afterwards.
    /// </summary>
    public async Task<(BlackoutReport Report, string Router, LabPod Client, LabPod Target)> FailoverAsync(bool stop, TimeSpan interval, TimeSpan duration, CancellationToken cancellationToken)
    {
        var routes = Shell.Run("ip", "-n", LabNames.RouterNamespace, "route", "show", "table", "all");
        var target = Pods.FirstOrDefault(p => RouterOf(routes, p) is { } r && r != Initial.Instances.Single(i => i.Id == p.InstanceId).PrivateIp)
            ?? throw new LabException("no pod whose group's route targets another node (more pods or nodes per group are needed)");
        var client = Pods.First(p => p.Zone != target.Zone);
        var routerIp = RouterOf(routes, target)!;
        var router = Initial.Instances.Single(i => i.PrivateIp == routerIp);
        var count = (int)(duration / interval);
        var ping = Process.Start(new ProcessStartInfo("nsenter", [$"--net=/run/netns/{client.Namespace}", "--", "ping", "-n", "-i", interval.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "-W", "1", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), target.Address])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = ping.StandardOutput.ReadToEndAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        if (stop)
        {
            Sim($"POST /_sim/instances/{router.Id}/stop");
        }
        else
        {
            // The probe path: the router's agent stops answering its health check; EC2 still says running.
            Shell.Run("nsenter", $"--net=/run/netns/{LabNames.Node(router.Id)}", "--", "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "9612", "-j", "REJECT", "--reject-with", "tcp-reset");
        }

        await ping.WaitForExitAsync(cancellationToken);
        var answered = (await output).Split('\n').Select(l => l.IndexOf("icmp_seq=", StringComparison.Ordinal) is var at and >= 0 && int.TryParse(l[(at + 9)..].Split(' ')[0], out var seq) ? seq : -1).Where(s => s > 0).ToList();
        if (stop)
        {
            Sim($"POST /_sim/instances/{router.Id}/start");
        }
        else
        {
            Shell.Run("nsenter", $"--net=/run/netns/{LabNames.Node(router.Id)}", "--", "iptables", "-D", "INPUT", "-p", "tcp", "--dport", "9612", "-j", "REJECT", "--reject-with", "tcp-reset");
        }

        return (BlackoutReport.From(count, answered, interval), router.Id, client, target);
    }

    /// <summary>The next hop of the route that carries <paramref name="pod"/>'s address in the client side's table, as the router sees it.</summary>
    private static string? RouterOf(string routes, LabPod pod)
    {
        var address = System.Net.IPAddress.Parse(pod.Address);
        return routes.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 2 && w[1] == "via" && w[0].StartsWith("100.", StringComparison.Ordinal) && System.Net.IPNetwork.Parse(w[0]).Contains(address))
            .Select(w => w[2]).FirstOrDefault();
    }

    /// <summary>One call to the simulator's admin API, from inside the master node (where it listens on loopback).</summary>
    private void Sim(string requestLine)
    {
        var request = $"{requestLine} HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
        var answer = Shell.Run("nsenter", [$"--net=/run/netns/{LabNames.Node(Master.Id)}", "--", "nc", "-w", "3", "127.0.0.1", SimPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], request);
        if (!answer.StartsWith("HTTP/1.1 2", StringComparison.Ordinal) && !answer.StartsWith("HTTP/1.0 2", StringComparison.Ordinal))
        {
            throw new LabException($"simulator refused '{requestLine}': {answer.Split('\n')[0]}");
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Kill();
        }

        return ValueTask.CompletedTask;
    }
}
