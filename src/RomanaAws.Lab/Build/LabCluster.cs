using System.Diagnostics;
using System.Globalization;
using System.Net;
using RomanaAws.Lab.Router;
using RomanaAws.Lab.Scenarios;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Dataplane;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Lab.Build;

/// <summary>
/// A whole cluster in network namespaces (docs/lab.md): the simulator's subnets as bridges of a VPC router namespace
/// whose kernel tables follow the simulator's route tables; every instance a node namespace with its private IP; on
/// the master node the simulator, the controller and the router follower; on every node the real agent with its CNI
/// socket (and its policies from <see cref="PolicyDirectory"/>); on every worker its own containerd; pods made as the
/// kubelet's CRI makes them (namespace, CNI ADD by the real plugin, container by containerd). Traffic stays inside the
/// namespaces it creates.
/// </summary>
public sealed partial class LabCluster : IAsyncDisposable
{
    public const int SimPort = 4566;
    public static readonly string PolicyDirectory = Path.Combine(LabNames.RunDirectory, "policies");
    private readonly List<LabProcess> _processes = [];
    private readonly Dictionary<string, NodeContainerd> _containerd = new(StringComparer.Ordinal);
    private readonly TextWriter _log;
    private readonly LabOptions _options;

    private LabCluster(LabOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
    }

    public VpcDataplane Initial { get; private set; } = null!;

    public DataplaneInstance Master { get; private set; } = null!;

    public List<LabPod> Pods { get; } = [];

    /// <summary>Every instance the lab wired: the scenario's and those added by <see cref="GrowAsync"/>.</summary>
    public List<DataplaneInstance> Nodes { get; } = [];

    public TimeSpan BuildTime { get; private set; }

    public static async Task<LabCluster> UpAsync(LabOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new LabCluster(options, log);
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

        Directory.CreateDirectory(PolicyDirectory);
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
        Nodes.AddRange(Initial.Instances);
        foreach (var instance in Initial.Instances)
        {
            NodeNamespace.Create(instance, state.Subnets.Single(s => s.SubnetId == instance.SubnetId));
        }

        Master = Initial.Instances.FirstOrDefault(i => i.State == "running" && (i.Name ?? "").StartsWith("master", StringComparison.Ordinal))
            ?? throw new LabException($"the scenario {options.Scenario} has no running instance named master-*: the lab runs the simulator and the controller there");
        await _log.WriteLineAsync($"network: {state.Subnets.Count} subnet bridge(s), {state.Tables.Count} route table(s), {Initial.Instances.Count} node(s) in {clock.ElapsedMilliseconds} ms");

        var masterNs = LabNames.Node(Master.Id);
        Start(masterNs, "sim", ["sim", "--scenario", scenarioPath, "--bind", "127.0.0.1", "--port", SimPort.ToString(CultureInfo.InvariantCulture)]);
        await WaitForPortAsync(masterNs, "127.0.0.1", SimPort, "the simulator", cancellationToken);
        await _log.WriteLineAsync($"simulator up on {Master.Id} at {clock.Elapsed.TotalSeconds:0.0} s");
        // A stopped worker has nothing to show: the lab starts it (as an operator scaling the group back up would).
        var stopped = Initial.Instances.Where(i => i.State == "stopped" && IsWorker(i)).ToList();
        foreach (var node in stopped)
        {
            Sim($"POST /_sim/instances/{node.Id}/start");
        }

        Start(masterNs, "router", ["lab", "router", "--sim", $"http://127.0.0.1:{SimPort}/"]);
        var controllerEnvironment = new Dictionary<string, string>
        {
            ["ROMANA_CONTROLLER__LISTEN"] = "0.0.0.0:9610",

            // The lab's wire is its own network namespaces, and it has no Kubernetes API to review tokens with.
            ["ROMANA_API__INSECURE"] = "true",
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

        Start(masterNs, "controller", ["controller", "--config", options.ControllerConfig], controllerEnvironment);
        await WaitForPortAsync(masterNs, "127.0.0.1", 9610, "the controller", cancellationToken);
        await _log.WriteLineAsync($"controller up at {clock.Elapsed.TotalSeconds:0.0} s");
        var nodes = Initial.Instances.Where(i => i.State == "running" || stopped.Contains(i)).ToList();
        foreach (var node in nodes)
        {
            StartAgent(node.Id);
        }

        var workers = nodes.Where(i => i.Id != Master.Id && IsWorker(i)).ToList();
        await Task.WhenAll(workers.Select(async w => { var c = await StartContainerdAsync(w.Id, cancellationToken); lock (_containerd) { _containerd[w.Id] = c; } }));
        await _log.WriteLineAsync($"processes: simulator, router follower and controller on {Master.Id} ({Master.PrivateIp}); an agent on each of {nodes.Count} node(s){(stopped.Count > 0 ? $" ({stopped.Count} stopped worker(s) started)" : "")}; containerd on each of {workers.Count} worker(s) (at {clock.Elapsed.TotalSeconds:0.0} s)");
        // Nodes in parallel (as kubelets are), each node's pods one after the other; namespaces round robin over all pods.
        // (Task.Run: the CNI ADD blocks its thread while the agent claims the node's first block.)
        var perNode = await Task.WhenAll(workers.Select((node, n) => Task.Run(async () =>
        {
            var pods = new List<LabPod>();
            for (var k = 0; k < options.PodsPerNode; k++)
            {
                pods.Add(await AddPodAsync(node.Id, node.SubnetId, LabNames.Pod(node.Id, k), PolicyScenario.OwnerOf((n * options.PodsPerNode) + k), cancellationToken));
            }

            return pods;
        }, cancellationToken)));
        Pods.AddRange(perNode.SelectMany(p => p));

        BuildTime = clock.Elapsed;
        var tables = RouterPlan.For(Initial).Tables.Select(t => (t.RouteTableId, t.Number)).ToList();
        foreach (var line in LabSummary.Lines(Initial, Nodes, Pods.GroupBy(p => p.InstanceId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), tables, RouterView.Dump()))
        {
            await _log.WriteLineAsync(line);
        }

        await _log.WriteLineAsync($"pods: {Pods.Count} in {Pods.Select(p => p.Owner).Distinct().Count()} namespace(s) ({string.Join(", ", Pods.Select(p => $"{p.Namespace[LabNames.Prefix.Length..]}={p.Address} [{p.Owner}]"))}); built in {BuildTime.TotalSeconds:0.0} s");
    }

    private static bool IsWorker(DataplaneInstance instance) => (instance.Name ?? "").StartsWith("nodes", StringComparison.Ordinal);

    private void StartAgent(string instanceId)
    {
        var dir = Path.Combine(LabNames.RunDirectory, instanceId);
        Directory.CreateDirectory(dir);
        Start(LabNames.Node(instanceId), $"agent-{instanceId}", ["agent", "--controller", $"http://{Master.PrivateIp}:9610/", "--instance-id", instanceId, "--listen", "0.0.0.0:9612",
            "--poll-seconds", "1", "--resync-seconds", "5", "--policies", PolicyDirectory, "--cni-socket", Path.Combine(dir, "cni.sock"), "--cni-checkpoint", Path.Combine(dir, "cni-ipam.json")]);
    }

    private Task<NodeContainerd> StartContainerdAsync(string instanceId, CancellationToken cancellationToken) =>
        NodeContainerd.StartAsync(instanceId, _options.Image, (netns, name, argv) =>
        {
            var process = LabProcess.Start(netns, name, argv[0], argv.Skip(1).ToList());
            lock (_processes)
            {
                _processes.Add(process);
            }

            return process;
        }, cancellationToken);

    /// <summary>
    /// A pod as the kubelet's CRI makes one: its network namespace, the CNI ADD by the real plugin inside the node (with
    /// the pod's namespace and name as <c>CNI_ARGS</c>, as containerd's CRI passes them), then its container started by
    /// the node's containerd in that namespace, serving TCP and UDP on <see cref="Reach.Port"/>.
    /// </summary>
    private async Task<LabPod> AddPodAsync(string instanceId, string subnetId, string pod, string owner, CancellationToken cancellationToken)
    {
        Shell.Run("ip", "netns", "add", pod);
        Shell.Run("ip", "-n", pod, "link", "set", "lo", "up");
        var config = $$"""{"cniVersion":"1.0.0","name":"romana-aws","type":"romana-aws-cni","agentSocket":"{{Path.Combine(LabNames.RunDirectory, instanceId, "cni.sock")}}"}""";
        var deadline = Stopwatch.StartNew();
        string last = "";
        // Generous: on a loaded 2-core machine ten agents start (JIT) and claim their first blocks at once.
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            try
            {
                var output = Shell.Run("nsenter", [$"--net=/run/netns/{LabNames.Node(instanceId)}", "--", "env", "CNI_COMMAND=ADD", $"CNI_CONTAINERID={pod}", $"CNI_NETNS=/run/netns/{pod}", "CNI_IFNAME=eth0",
                    "CNI_PATH=/usr/lib/cni", $"CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE={owner};K8S_POD_NAME={pod}", _options.Plugin], config);
                using var result = System.Text.Json.JsonDocument.Parse(output);
                var address = result.RootElement.GetProperty("ips")[0].GetProperty("address").GetString()!.Split('/')[0];
                NodeContainerd containerd;
                lock (_containerd)
                {
                    containerd = _containerd[instanceId];
                }

                containerd.Run(pod);
                return new LabPod(pod, instanceId, Initial.Subnets.Single(s => s.Id == subnetId).Zone, address, owner);
            }
            catch (LabException e)
            {
                last = e.Message;
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }

        throw new LabException($"pod {pod} on {instanceId} got no address in 180 s: {last}");
    }

    private void Start(string netns, string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = LabProcess.Start(netns, name, _options.RomanaAws, _options.RomanaAwsPrefix.Concat(args).ToList(), environment);
        lock (_processes)
        {
            _processes.Add(process);
        }
    }

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

    /// <summary>The reachability matrix: from every pod to every other, TCP and UDP (<see cref="PodProbe"/>); the cells that answered.</summary>
    public Task<HashSet<Reach>> MatrixAsync(CancellationToken cancellationToken) => PodProbe.MatrixAsync(Pods, TimeSpan.FromSeconds(2), cancellationToken);

    /// <summary>The namespace of every pod, by pod name (the input of <see cref="PolicyScenario.Expected"/>).</summary>
    public IReadOnlyDictionary<string, string> Owners => Pods.ToDictionary(p => p.Namespace, p => p.Owner, StringComparer.Ordinal);

    /// <summary>Gives every agent this NetworkPolicy YAML (the directory they all read), or none (null).</summary>
    public static void SetPolicies(string? yaml)
    {
        var file = Path.Combine(PolicyDirectory, "lab.yaml");
        if (yaml is null)
        {
            File.Delete(file);
        }
        else
        {
            File.WriteAllText(file + ".tmp", yaml);
            File.Move(file + ".tmp", file, overwrite: true);
        }
    }

    /// <summary>Whether every running node's kernel holds (or, <paramref name="present"/> false, no longer holds) an ingress policy chain.</summary>
    public bool PolicyInEveryKernel(bool present) =>
        Nodes.Where(n => n.State is "running" or "pending" && n.Id != Master.Id && IsWorker(n)).All(n =>
            Shell.TryRunOutput("nsenter", $"--net=/run/netns/{LabNames.Node(n.Id)}", "--", "iptables", "-S", PolicyIngressChain).Contains("-j ROMANA-I-", StringComparison.Ordinal) == present);

    private const string PolicyIngressChain = "ROMANA-INGRESS";

    /// <summary>One call to the simulator's admin API, from inside the master node (where it listens on loopback).</summary>
    private string Sim(string requestLine)
    {
        var request = $"{requestLine} HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
        var answer = Shell.Run("nsenter", [$"--net=/run/netns/{LabNames.Node(Master.Id)}", "--", "nc", "-w", "3", "127.0.0.1", SimPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], request);
        if (!answer.StartsWith("HTTP/1.1 2", StringComparison.Ordinal) && !answer.StartsWith("HTTP/1.0 2", StringComparison.Ordinal))
        {
            throw new LabException($"simulator refused '{requestLine}': {answer.Split('\n')[0]}");
        }

        return answer;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Kill();
        }

        // The pods' containers and their runc shims outlive containerd: LabCleanup removes them by namespace.

        return ValueTask.CompletedTask;
    }
}
