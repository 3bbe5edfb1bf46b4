using System.Diagnostics;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Benchmarks;

/// <summary>
/// The agent against a real kernel, in a network namespace this run creates (root needed): first sync with 5,000
/// peer routes and policies over 1,000 owners, then one incremental change; and the iptables rule count for 10,000
/// pods in 100 namespaces under 200 policies, against one rule per pod.
/// </summary>
public static class AgentMeasurement
{
    public static async Task<int> RunAsync()
    {
        var ns = $"rbench-{Environment.ProcessId}";
        var directory = Directory.CreateTempSubdirectory("romana-agent-bench-");
        Sh($"ip netns add {ns} && ip -n {ns} link add a0 type veth peer name a1 && ip -n {ns} addr add 172.31.0.1/16 dev a0 && ip -n {ns} link set a1 up && ip -n {ns} link set a0 up");
        try
        {
            // 100 peers × 50 blocks = 5,000 peer routes; 1,000 owners (5 blocks each); 200 policies.
            var peers = Enumerable.Range(0, 100).Select(p => new PeerBlocks($"i-{p}", $"172.31.1.{p + 1}",
                Enumerable.Range(0, 50).Select(b => new OwnedBlock(Block((p * 50) + b), $"ns-{((p * 50) + b) / 5}")).ToList())).ToList();
            var owners = peers.SelectMany(p => p.Blocks).GroupBy(b => b.Owner).ToDictionary(g => g.Key, g => (IReadOnlyList<Cidr>)g.Select(b => b.Cidr).ToList());
            var desired = new AgentDesiredState { InstanceId = "i-self", Groups = [Cidr.Parse("100.64.0.0/10")], Blocks = [], Peers = peers, Owners = owners };
            var desiredFile = Path.Combine(directory.FullName, "desired.json");
            await File.WriteAllTextAsync(desiredFile, System.Text.Json.JsonSerializer.Serialize(desired, AgentSync.Json));
            var policies = Directory.CreateDirectory(Path.Combine(directory.FullName, "policies")).FullName;
            await File.WriteAllTextAsync(Path.Combine(policies, "p.yaml"), string.Join("\n---\n", Enumerable.Range(0, 200).Select(i => $$"""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: { name: p{{i}}, namespace: ns-{{i * 5}} }
                spec:
                  podSelector: {}
                  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ns-{{(i * 5) + 1}} } } }], ports: [{ port: 8080 }] }]
                """)));
            using var http = new HttpClient();
            var sync = new AgentSync(new AgentSource(null, desiredFile, "i-self"), policies is null ? null : new PolicyDirectory(policies), new LinuxKernel(new CommandRunner(ns)), new PolicyOptions(), http, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            var first = await sync.SyncAsync(CancellationToken.None);
            var firstTime = clock.Elapsed;
            Require(first);

            // Ten incremental changes (a block added to a peer each time); the median is reported (the first pays JIT).
            var times = new List<double>();
            AgentStatus incremental = first;
            for (var change = 0; change < 10; change++)
            {
                peers[change] = peers[change] with { Blocks = [.. peers[change].Blocks, new OwnedBlock(Block(9_000 + change), $"ns-{change}")] };
                await File.WriteAllTextAsync(desiredFile, System.Text.Json.JsonSerializer.Serialize(desired with { Peers = peers }, AgentSync.Json));
                clock.Restart();
                incremental = await sync.SyncAsync(CancellationToken.None, full: false);
                times.Add(clock.Elapsed.TotalMilliseconds);
                Require(incremental);
            }

            times.Sort();
            var incrementalTime = TimeSpan.FromMilliseconds(times[times.Count / 2]);
            var firstIncremental = times.Max();
            clock.Restart();
            var steady = await sync.SyncAsync(CancellationToken.None, full: true);
            var steadyTime = clock.Elapsed;
            Console.WriteLine($"agent first sync: {first.Routes} routes ({first.RouteChanges} written), {first.PolicyRules} rules over {owners.Count} owners and 200 policies: {firstTime.TotalMilliseconds:0} ms (target < 2,000 ms)");
            Console.WriteLine($"agent incremental sync (one peer block added): {incremental.RouteChanges} route written, median {incrementalTime.TotalMilliseconds:0} ms of 10 (slowest {firstIncremental:0} ms; target < 50 ms); full resync (kernel read back, policy reloaded) {steadyTime.TotalMilliseconds:0} ms");
        }
        finally
        {
            Sh($"ip netns del {ns}");
            directory.Delete(recursive: true);
        }

        RuleCount();
        return 0;
    }

    /// <summary>10,000 pods in 100 namespaces (one /28 block per 10 pods per namespace), 200 policies of one peer namespace each.</summary>
    private static void RuleCount()
    {
        var owners = Enumerable.Range(0, 100).ToDictionary(n => $"ns-{n}", n => (IReadOnlyList<Cidr>)Enumerable.Range(0, 10).Select(b => Block((n * 10) + b)).ToList());
        var policies = Enumerable.Range(0, 200).Select(i => new PolicySpec($"p{i}", $"ns-{i % 100}", LabelSelector.Everything, true, false,
            [new PolicyRule([new PodPeer(LabelSelector.Everything, LabelSelector.Create(new Dictionary<string, string> { [ClusterView.NamespaceNameLabel] = $"ns-{(i + 1) % 100}" }, null))], [new PolicyPort("TCP", 8080 + (i / 100), null)])], [])).ToList();
        // One node's view: its own ten blocks are the pods it judges (the rule count does not depend on them).
        var compiled = PolicyCompiler.Compile(policies, ClusterView.Empty, owners, owners["ns-0"], new PolicyOptions());
        // One rule per pod: each policy's rule written per (selected pod × peer pod), 100 × 100 per policy.
        const long perPod = 200L * 100 * 100;
        Console.WriteLine($"iptables rules for 10,000 pods / 100 namespaces / 200 policies: {compiled.RuleCount} (ipsets: {compiled.Sets.Count}); one rule per pod pair: {perPod:N0}; one rule per selected pod and peer rule: {200L * 100:N0}");
    }

    private static Cidr Block(int i) => Cidr.FromNumber((100u << 24 | 64u << 16) + ((uint)i * 16), 28);

    private static void Require(AgentStatus status)
    {
        if (status.LastError is { } error)
        {
            throw new InvalidOperationException(error);
        }
    }

    /// <summary>Runs a shell command; a failure throws with its stderr (shared by the measured runs).</summary>
    internal static void Sh(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command}: {error}");
        }
    }
}
