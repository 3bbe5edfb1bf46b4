using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;
using RomanaAws.KubeSim;

namespace RomanaAws.Benchmarks;

/// <summary>
/// NetworkPolicy at the issue's scale (<see cref="NetpolScenario"/>). Always: the compiled rules, sets and set members,
/// compile time and allocation, beside today's owner-only compilation and one rule per selected pod (same run, same
/// policies). As root, with the CLI: the real agent process in a network namespace this run creates, watching the
/// Kubernetes API stand-in on loopback: start → policy in the kernel, its memory, and API event → rule in force
/// (pod relabels that move a pod in or out of a set, new policies), polled in the kernel every 5 ms.
/// </summary>
public static class NetpolMeasurement
{
    public static async Task<int> RunAsync(string? cli, int trials)
    {
        var scenario = new NetpolScenario();
        Console.WriteLine($"scenario: {scenario.Cluster.Pods.Count:N0} pods, {NetpolScenario.Namespaces} namespaces, {scenario.PolicyList.Count} policies; the node judges {scenario.Local.Count} blocks (200 pods)");
        var compiled = Compile(scenario.PolicyList, scenario, "selectors (this issue)");
        Compile(scenario.OwnerOnly(), scenario, "owner-only (before, widens every pod selector to its namespace)");
        Console.WriteLine($"  one rule per selected pod (× peer pod × port, no sets): {scenario.OnePerSelectedPod():N0} rules");
        if (cli is null || Environment.UserName != "root")
        {
            Console.WriteLine("(agent in a namespace skipped: needs root and the CLI)");
            return 0;
        }

        await AgentAsync(cli, scenario, compiled, trials);
        return 0;
    }

    private static CompiledPolicy Compile(IReadOnlyList<PolicySpec> policies, NetpolScenario scenario, string what)
    {
        var times = new List<double>();
        CompiledPolicy compiled = null!;
        long allocated = 0;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            compiled = PolicyCompiler.Compile(policies, scenario.Cluster, scenario.Owners, scenario.Local, new PolicyOptions());
            times.Add(clock.Elapsed.TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var members = compiled.SetEntries.Values.Sum(v => v.Count);
        Console.WriteLine($"  {what}: {compiled.RuleCount:N0} rules, {compiled.Sets.Count} ipsets, {members:N0} set members; compile median {times.Order().ElementAt(2):0.0} ms (first {times[0]:0.0} ms), {allocated / 1e6:0.0} MB allocated");
        return compiled;
    }

    private static async Task AgentAsync(string cli, NetpolScenario scenario, CompiledPolicy expected, int trials)
    {
        var ns = $"rnetpol-{Environment.ProcessId}";
        var directory = Directory.CreateTempSubdirectory("romana-netpol-bench-");
        await using var sim = await KubeSimulator.StartAsync();
        Seed(sim.Store, scenario);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "kubeconfig"), sim.Kubeconfig());
        var desired = new AgentDesiredState
        {
            InstanceId = "i-00000001",
            Groups = [Cidr.Parse("100.64.0.0/16")],
            Blocks = [.. scenario.Local.Select(b => new OwnedBlock(b, scenario.Owners.First(o => o.Value.Contains(b)).Key))],
            Peers = [],
            Owners = scenario.Owners,
        };
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "desired.json"), JsonSerializer.Serialize(desired, AgentSync.Json));
        AgentMeasurement.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        Process? agent = null;
        System.Collections.Concurrent.ConcurrentQueue<string>? agentLog = null;
        try
        {
            var clock = Stopwatch.StartNew();
            string[] arguments =
            [
                cli, "agent", "--desired", Path.Combine(directory.FullName, "desired.json"), "--kubeconfig", Path.Combine(directory.FullName, "kubeconfig"),
                "--instance-id", "i-00000001", "--netns", ns, "--listen", "127.0.0.1:0", "--poll-seconds", "5", "--resync-seconds", Environment.GetEnvironmentVariable("ROMANA_BENCH_RESYNC") ?? "30",
            ];
            agent = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            agent.OutputDataReceived += (_, e) => { if (e.Data is { } line) { log.Enqueue(line); } };
            agent.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { log.Enqueue(line); } };
            agent.BeginOutputReadLine();
            agent.BeginErrorReadLine();
            agentLog = log;
            var lastChain = expected.Chains[^1];
            await UntilAsync(() => Ok($"ip netns exec {ns} iptables -S {lastChain}"), TimeSpan.FromSeconds(60), "the first sync");
            Console.WriteLine($"  agent process: start → all {expected.RuleCount:N0} rules and {expected.Sets.Count} sets in the kernel {clock.Elapsed.TotalSeconds:0.00} s (list of 10,000 pods, compile, ipset restore, iptables-restore)");
            await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
            Console.WriteLine($"  agent memory after the first sync: {Rss(agent.Id) / 1024.0:0} MiB resident");
            var latencies = await EventsAsync(sim.Store, ns, scenario, trials);
            var sorted = latencies.Order().ToList();
            Console.WriteLine($"  API event → rule in force ({sorted.Count} events, the next one 200 ms after): p50 {Stats.Percentile(sorted, 0.5):0} ms, p99 {Stats.Percentile(sorted, 0.99):0} ms, max {sorted[^1]:0} ms");
            var relabels = latencies.Where((_, i) => i % 2 == 0).Order().ToList();
            var created = latencies.Where((_, i) => i % 2 == 1).Order().ToList();
            Console.WriteLine($"    pod relabels moving a pod in or out of a set ({relabels.Count}): p50 {Stats.Percentile(relabels, 0.5):0} ms, p99 {Stats.Percentile(relabels, 0.99):0} ms");
            Console.WriteLine($"    new policies, a new chain ({created.Count}): p50 {Stats.Percentile(created, 0.5):0} ms, p99 {Stats.Percentile(created, 0.99):0} ms");
            Console.WriteLine($"  agent memory at the end: {Rss(agent.Id) / 1024.0:0} MiB resident");
            foreach (var slow in log.Where(l => l.Contains("slow", StringComparison.Ordinal)))
            {
                Console.WriteLine($"  agent: {slow}");
            }
        }
        catch (InvalidOperationException) when (agentLog is not null)
        {
            Console.WriteLine($"agent output:\n  {string.Join("\n  ", agentLog.TakeLast(30))}");
            throw;
        }
        finally
        {
            if (agent is { HasExited: false })
            {
                agent.Kill(entireProcessTree: true);
                await agent.WaitForExitAsync();
            }

            Run($"ip netns pids {ns} | xargs -r kill; ip netns del {ns}");
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Half relabels, half new policies; each waits until the kernel holds what the compiler says it must.</summary>
    private static async Task<List<double>> EventsAsync(KubeStore store, string ns, NetpolScenario scenario, int trials)
    {
        var latencies = new List<double>();
        var policies = scenario.PolicyList.ToList();
        var pods = scenario.Cluster.Pods.ToList();
        var random = new Random(7);
        for (var trial = 0; trial < trials; trial++)
        {
            var before = PolicyCompiler.Compile(policies, new ClusterView(scenario.Cluster.Namespaces, pods), scenario.Owners, scenario.Local, new PolicyOptions());
            string check;
            var clock = new Stopwatch();
            if (trial % 2 == 0)
            {
                // A pod relabel that changes some set's membership.
                while (true)
                {
                    var index = random.Next(pods.Count);
                    var pod = pods[index];
                    var labels = new Dictionary<string, string>(pod.Labels) { ["tier"] = pod.Labels["tier"] == "web" ? "db" : "web", ["app"] = $"a{random.Next(10)}" };
                    var moved = pods.ToList();
                    moved[index] = pod with { Labels = labels };
                    var after = PolicyCompiler.Compile(policies, new ClusterView(scenario.Cluster.Namespaces, moved), scenario.Owners, scenario.Local, new PolicyOptions());
                    var member = $"{pod.Address}";
                    var changed = after.SetEntries.FirstOrDefault(s => before.SetEntries.TryGetValue(s.Key, out var old) && old.Contains(member) != s.Value.Contains(member));
                    if (changed.Key is null)
                    {
                        continue;
                    }

                    var now = changed.Value.Contains(member);
                    check = $"ip netns exec {ns} ipset test {changed.Key} {pod.Address.NetworkAddress}";
                    pods = moved;
                    clock.Start();
                    store.Patch(KubeSim.KubeResource.Pods, pod.Namespace, pod.Name, "application/merge-patch+json", JsonNode.Parse(JsonSerializer.Serialize(new { metadata = new { labels } }))!);
                    await UntilAsync(() => Ok(check) == now, TimeSpan.FromSeconds(30), $"relabel of {pod.Key}");
                    break;
                }
            }
            else
            {
                var policy = new PolicySpec($"bench-{trial}", "ns-0", LabelSelectorParser.Parse($"app=a{trial % 10}"), true, false,
                    [new PolicyRule([new PodPeer(LabelSelectorParser.Parse($"tier=web,app=a{random.Next(10)}"), LabelSelectorParser.Parse("env=prod"))], [new PolicyPort("TCP", 7000 + trial, null)])], []);
                policies.Add(policy);
                var after = PolicyCompiler.Compile(policies, new ClusterView(scenario.Cluster.Namespaces, pods), scenario.Owners, scenario.Local, new PolicyOptions());
                var chain = after.Chains.Except(before.Chains).Single();
                check = $"ip netns exec {ns} iptables -S {chain}";
                clock.Start();
                store.Create(KubeSim.KubeResource.NetworkPolicies, "ns-0", NetworkPolicyJson(policy, trial));
                await UntilAsync(() => Ok(check), TimeSpan.FromSeconds(30), $"policy {policy.Name}");
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        return latencies;
    }

    private static void Seed(KubeStore store, NetpolScenario scenario)
    {
        foreach (var ns in scenario.Cluster.Namespaces)
        {
            store.Create(KubeSim.KubeResource.Namespaces, null, JsonNode.Parse(JsonSerializer.Serialize(new { metadata = new { name = ns.Name, labels = ns.Labels } }))!.AsObject());
        }

        foreach (var pod in scenario.Cluster.Pods)
        {
            var body = JsonNode.Parse(JsonSerializer.Serialize(new
            {
                metadata = new { name = pod.Name, labels = pod.Labels },
                spec = new { containers = new[] { new { name = "c", image = "app", ports = pod.Ports.Select(p => new { name = p.Name, protocol = p.Protocol, containerPort = p.Port }) } } },
            }))!.AsObject();
            store.Create(KubeSim.KubeResource.Pods, pod.Namespace, body);
            store.Patch(KubeSim.KubeResource.Pods, pod.Namespace, pod.Name, "application/merge-patch+json", JsonNode.Parse(JsonSerializer.Serialize(new { status = new { phase = "Running", podIP = pod.Address.NetworkAddress.ToString() } }))!, status: true);
        }

        for (var i = 0; i < scenario.PolicyList.Count; i++)
        {
            store.Create(KubeSim.KubeResource.NetworkPolicies, scenario.PolicyList[i].Namespace, NetworkPolicyJson(scenario.PolicyList[i], i));
        }
    }

    /// <summary>The API object of a policy (the benchmark's model written the way kubectl would send it).</summary>
    private static JsonObject NetworkPolicyJson(PolicySpec policy, int index)
    {
        static JsonObject Selector(LabelSelector selector) => new()
        {
            ["matchExpressions"] = new JsonArray([.. selector.Requirements.Select(r => (JsonNode)new JsonObject
            {
                ["key"] = r.Key,
                ["operator"] = r.Operator.ToString(),
                ["values"] = new JsonArray([.. r.Values.Select(v => (JsonNode)v)]),
            })]),
        };
        JsonArray Rules(IReadOnlyList<PolicyRule> rules, string peers) => new([.. rules.Select(rule => (JsonNode)new JsonObject
        {
            [peers] = new JsonArray([.. rule.Peers.OfType<PodPeer>().Select(p =>
            {
                var peer = new JsonObject { ["podSelector"] = Selector(p.Pods) };
                if (p.Namespaces is { } n)
                {
                    peer["namespaceSelector"] = Selector(n);
                }

                return (JsonNode)peer;
            })]),
            ["ports"] = new JsonArray([.. rule.Ports.Select(p =>
            {
                var port = new JsonObject { ["protocol"] = p.Protocol };
                if (p.Name is { } name)
                {
                    port["port"] = name;
                }
                else if (p.Port is { } number)
                {
                    port["port"] = number;
                }

                if (p.EndPort is { } end)
                {
                    port["endPort"] = end;
                }

                return (JsonNode)port;
            })]),
        })]);
        var types = new JsonArray("Ingress");
        if (policy.Egress)
        {
            types.Add("Egress");
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = policy.Name, ["labels"] = new JsonObject { ["index"] = $"{index}" } },
            ["spec"] = new JsonObject { ["podSelector"] = Selector(policy.PodSelector), ["policyTypes"] = types, ["ingress"] = Rules(policy.IngressRules, "from"), ["egress"] = Rules(policy.EgressRules, "to") },
        };
    }

    private static long Rss(int pid) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private static async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new InvalidOperationException($"{what}: not in the kernel after {limit.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }

    private static bool Ok(string command) => Run(command) == 0;

    private static int Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command + " >/dev/null 2>&1"]))!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
