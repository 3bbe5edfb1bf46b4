using System.Diagnostics;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Agent.Tests.Policy;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.KubeSim;
using Xunit.Abstractions;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// The transcribed upstream e2e cases with real packets: three node namespaces (x, y, z) each running the agent as the
/// DaemonSet does (<see cref="AgentHost"/>), watching NetworkPolicies, Pods and Namespaces on the Kubernetes API
/// stand-in through the official client; each step's policies and label changes are written to the API, and the
/// x/y/z × a/b/c matrix (TCP and UDP, 80 and 81) probed from inside the pods must become exactly the upstream
/// expectation. Root only: skips with a reason elsewhere, fails under CI=true.
/// </summary>
public sealed class NetpolNetnsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-netpol-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task UpstreamCases_RealPackets_AgentsWatchingTheApi()
    {
        if (NetnsLab.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the netns lab cannot run: {missing}");
            output.WriteLine($"skipped: {missing}");
            return;
        }

        var world = new NetpolWorld();
        using var lab = new NetpolLab(world);
        lab.Build();
        await using var sim = await KubeSimulator.StartAsync();
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = sim.Endpoint.ToString() });
        await SeedAsync(client, world);

        using var stop = new CancellationTokenSource();
        var reports = new List<string>();
        var runs = new List<Task>();
        var syncs = new List<AgentSync>();
        using var http = new HttpClient();
        for (var n = 0; n < 3; n++)
        {
            var source = new KubernetesPolicySource(client, r => { lock (reports) { reports.Add(r); } return Task.CompletedTask; }, TimeProvider.System, TimeSpan.FromMinutes(5));
            runs.Add(source.RunAsync(stop.Token));
            await source.Synced.WaitAsync(TimeSpan.FromSeconds(30));
            var sync = new AgentSync(new AgentSource(null, Desired(world, n), $"i-{n}"), source, new LinuxKernel(new CommandRunner(lab.Host(n))), new PolicyOptions(), http, TimeProvider.System);
            syncs.Add(sync);
            var host = new AgentHost(sync, new AgentHostOptions(new IPEndPoint(IPAddress.Loopback, 0), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), TimeProvider.System);
            runs.Add(host.RunAsync(r => { lock (reports) { reports.Add(r); } return Task.CompletedTask; }, stop.Token));
        }

        try
        {
            // Without policies everything answers (within the first rounds: neighbour entries are still being resolved).
            var (all, first, _) = await UntilMatrixAsync(lab, world, new NetpolStep(string.Empty, _ => true));
            Assert.True(all, $"without policies {first.Count} of {9 * 8 * 4} probes answered; {string.Join("; ", syncs.Select(s => s.Status))}");
            var failures = new List<string>();
            foreach (var netpolCase in NetpolCases.All)
            {
                foreach (var (step, index) in netpolCase.Steps.Select((s, i) => (s, i)))
                {
                    var clock = Stopwatch.StartNew();
                    await ApplyAsync(client, world, step);
                    var (ok, observed, rounds) = await UntilMatrixAsync(lab, world, step);
                    output.WriteLine($"{(ok ? "ok" : "FAIL")} {clock.Elapsed.TotalSeconds,5:0.0} s {rounds} round(s): {netpolCase.Upstream} [step {index}]");
                    if (!ok)
                    {
                        var want = Expected(world, step);
                        failures.Add($"{netpolCase.Upstream} [step {index}]: missing {string.Join(", ", want.Except(observed).Take(8))}; unexpected {string.Join(", ", observed.Except(want).Take(8))}");
                    }
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} step(s) wrong:\n{string.Join('\n', failures)}\nagent reports: {string.Join('\n', reports.TakeLast(20))}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    /// <summary>Probes until the matrix is the step's (the first round after 300 ms, the agents sync on the API event), at most 20 s.</summary>
    private static async Task<(bool Ok, HashSet<Probe> Observed, int Rounds)> UntilMatrixAsync(NetpolLab lab, NetpolWorld world, NetpolStep step)
    {
        var want = Expected(world, step);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var observed = new HashSet<Probe>();
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            rounds++;
            observed = await lab.ProbeAsync(TimeSpan.FromMilliseconds(600));
            if (observed.SetEquals(want))
            {
                return (true, observed, rounds);
            }
        }

        return (false, observed, rounds);
    }

    private static HashSet<Probe> Expected(NetpolWorld world, NetpolStep step) =>
        [.. from src in world.Cluster.Pods from dst in world.Cluster.Pods where src != dst from port in NetpolWorld.Ports
            let probe = new Probe(src.Key, dst.Key, port.Protocol, port.Port) where step.Allowed(probe) select probe];

    private static async Task SeedAsync(k8s.Kubernetes client, NetpolWorld world)
    {
        foreach (var ns in NetpolWorld.NamespaceNames)
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { ["ns"] = ns } } });
        }

        foreach (var pod in world.Cluster.Pods)
        {
            await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = pod.Name, Labels = pod.Labels.ToDictionary() },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "agnhost", Ports = [.. pod.Ports.Select(p => new V1ContainerPort { Name = p.Name, Protocol = p.Protocol, ContainerPort = p.Port })] }] },
            }, pod.Namespace);
            var status = JsonSerializer.Serialize(new { status = new { phase = "Running", podIP = pod.Address.NetworkAddress.ToString(), podIPs = new[] { new { ip = pod.Address.NetworkAddress.ToString() } } } });
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status, V1Patch.PatchType.StrategicMergePatch), pod.Name, pod.Namespace);
        }
    }

    /// <summary>The step's state in the API: exactly its policies, and labels as the world's plus the step's additions.</summary>
    private static async Task ApplyAsync(k8s.Kubernetes client, NetpolWorld world, NetpolStep step)
    {
        foreach (var policy in (await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync()).Items)
        {
            await client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policy.Metadata.Name, policy.Metadata.NamespaceProperty);
        }

        foreach (var ns in NetpolWorld.NamespaceNames)
        {
            var extra = step.NamespaceLabels?.GetValueOrDefault(ns) ?? [];
            var labels = new Dictionary<string, string?> { ["ns"] = ns, ["ns2"] = null };
            foreach (var (key, value) in extra)
            {
                labels[key] = value;
            }

            await client.CoreV1.PatchNamespaceAsync(new V1Patch(JsonSerializer.Serialize(new { metadata = new { labels } }), V1Patch.PatchType.MergePatch), ns);
        }

        foreach (var pod in world.Cluster.Pods)
        {
            var labels = new Dictionary<string, string?> { ["pod2"] = null, ["target"] = null };
            foreach (var (key, value) in step.PodLabels?.GetValueOrDefault(pod.Key) ?? [])
            {
                labels[key] = value;
            }

            await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(JsonSerializer.Serialize(new { metadata = new { labels } }), V1Patch.PatchType.MergePatch), pod.Name, pod.Namespace);
        }

        foreach (var policy in KubernetesYaml.LoadAllFromString(NetpolCaseTests.Resolve(step.Policies, world)).OfType<V1NetworkPolicy>())
        {
            await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, policy.Metadata.NamespaceProperty);
        }
    }

    private string Desired(NetpolWorld world, int n)
    {
        OwnedBlock[] Blocks(int host) => [.. world.Owners.Where(o => PolicySelectionsNamespace(o.Key) == NetpolWorld.NamespaceNames[host]).SelectMany(o => o.Value.Select(c => new OwnedBlock(c, o.Key)))];
        var state = new AgentDesiredState
        {
            InstanceId = $"i-{n}",
            Groups = [Cidr.Parse("100.96.0.0/22")],
            Blocks = Blocks(n),
            Peers = [.. Enumerable.Range(0, 3).Where(p => p != n).Select(p => new PeerBlocks($"i-{p}", NetpolLab.HostIp(p), Blocks(p)))],
            Owners = world.Owners,
        };
        var path = Path.Combine(_directory, $"desired-{n}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(state, AgentSync.Json));
        return path;
    }

    private static string PolicySelectionsNamespace(string owner) => owner.Split('/')[0];
}
