using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using Xunit.Abstractions;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// The agent against real kernels: three host namespaces on one bridge (a subnet), a pod behind each. The agent
/// programs each host (routes via peers, policy over ipsets); pods talk across hosts; a NetworkPolicy denies exactly
/// what it should; routes and rules removed by hand come back on the next sync. Skips with a reason on a laptop
/// without root or tools; under CI=true a missing prerequisite fails.
/// </summary>
public sealed class AgentNetnsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Owners = ["shop", "db", "ops"];
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-agent-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private bool Prerequisites()
    {
        if (NetnsLab.Missing() is not { } missing)
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the netns lab cannot run: {missing}");
        output.WriteLine($"skipped: {missing}");
        return false;
    }

    private string Desired(int host)
    {
        var state = new AgentDesiredState
        {
            InstanceId = $"i-{host}",
            Groups = [Cidr.Parse("100.96.0.0/24")],
            Blocks = [new OwnedBlock(Cidr.Parse(NetnsLab.Block(host)), Owners[host - 1])],
            Peers = Enumerable.Range(1, 3).Where(p => p != host)
                .Select(p => new PeerBlocks($"i-{p}", NetnsLab.HostIp(p), [new OwnedBlock(Cidr.Parse(NetnsLab.Block(p)), Owners[p - 1])])).ToList(),
            Owners = Enumerable.Range(1, 3).ToDictionary(p => Owners[p - 1], p => (IReadOnlyList<Cidr>)[Cidr.Parse(NetnsLab.Block(p))]),
        };
        var path = Path.Combine(_directory, $"desired-{host}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(state, AgentSync.Json));
        return path;
    }

    private async Task SyncAsync(NetnsLab lab, int host, string? policies = null)
    {
        using var http = new HttpClient();
        var sync = new AgentSync(new AgentSource(null, Desired(host), $"i-{host}"), policies is null ? null : new PolicyDirectory(policies), new LinuxKernel(new CommandRunner(lab.Host(host))),
            new PolicyOptions(), http, TimeProvider.System);
        var status = await sync.SyncAsync(CancellationToken.None);
        output.WriteLine($"host {host}: {status}");
        Assert.True(status.Healthy(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(1)), status.LastError ?? status.ToString());
    }

    [Fact]
    public async Task Agent_RoutesPodsAcrossHosts_EnforcesPolicy_RepairsTampering()
    {
        if (!Prerequisites())
        {
            return;
        }

        using var lab = new NetnsLab();
        lab.Build(hosts: 3);
        Assert.False(lab.Ping(1, 2));
        for (var host = 1; host <= 3; host++)
        {
            await SyncAsync(lab, host);
        }

        Assert.True(lab.Ping(1, 2));
        Assert.True(lab.Ping(3, 1));
        Assert.Contains("unreachable 100.96.0.0/24", NetnsLab.Sh($"ip -n {lab.Host(1)} route show proto 148"), StringComparison.Ordinal);

        // db admits TCP 8080 from ops only.
        var policies = Directory.CreateDirectory(Path.Combine(_directory, "policies")).FullName;
        await File.WriteAllTextAsync(Path.Combine(policies, "db.yaml"), """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: db-from-ops, namespace: db }
            spec:
              podSelector: {}
              ingress:
                - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ops } } }]
                  ports: [{ protocol: TCP, port: 8080 }]
            """);
        using var server = lab.Listen(pod: 2, port: 8080);
        Assert.True(lab.Connect(1, 2, 8080));
        for (var host = 1; host <= 3; host++)
        {
            await SyncAsync(lab, host, policies);
        }

        Assert.True(lab.Connect(3, 2, 8080), "ops → db:8080 must be allowed");
        Assert.False(lab.Connect(1, 2, 8080), "shop → db:8080 must be denied");
        Assert.True(lab.Ping(2, 1), "db → shop is not restricted (egress not selected)");

        // Tampering: a route and the FORWARD jump removed by hand come back on the next sync.
        NetnsLab.Sh($"ip -n {lab.Host(1)} route del {NetnsLab.Block(2)} proto 148");
        NetnsLab.Sh($"ip netns exec {lab.Host(2)} iptables -D FORWARD -j ROMANA-FORWARD");
        Assert.False(lab.Ping(1, 2));
        await SyncAsync(lab, 1, policies);
        await SyncAsync(lab, 2, policies);
        Assert.True(lab.Ping(1, 3));
        Assert.True(lab.Connect(3, 2, 8080));
        Assert.False(lab.Connect(1, 2, 8080));
        server.Kill(entireProcessTree: true);
        server.WaitForExit();
        Assert.True(lab.WaitForPort(pod: 2, port: 8080, listening: false), "the first listener did not go away");

        // A restart of the agent (a fresh process: nothing in memory) drops no established flow.
        var received = Path.Combine(_directory, "received.txt");
        using var sink = NetnsLab.Background($"ip netns exec {lab.Pod(2)} sh -c 'nc -l 8080 > {received}'");
        Assert.True(lab.WaitForPort(pod: 2, port: 8080, listening: true), "the sink is not listening");
        using var stream = NetnsLab.Background($"ip netns exec {lab.Pod(3)} sh -c 'while true; do echo x; sleep 0.05; done | nc {NetnsLab.PodIp(2)} 8080'");
        var before = await LinesAfterAsync(received, TimeSpan.FromSeconds(1));
        await SyncAsync(lab, 2, policies);
        await SyncAsync(lab, 3, policies);
        var after = await LinesAfterAsync(received, TimeSpan.FromSeconds(1));
        Assert.True(before > 5 && after > before + 5, $"flow stalled across the agent restart: {before} → {after} lines");
        Assert.False(stream.HasExited, "the client's connection was cut");
    }

    /// <summary>
    /// The running agent (what the DaemonSet runs): /healthz answers 503 until a sync succeeds and 200 after; a
    /// change to the desired state reaches the kernel by the incremental sync, well before the 30 s full resync.
    /// </summary>
    [Fact]
    public async Task AgentHost_Healthz503UntilGoodSync_Then200_IncrementalSyncAppliesChanges()
    {
        if (!Prerequisites())
        {
            return;
        }

        using var lab = new NetnsLab();
        lab.Build(hosts: 3);
        var desired = Path.Combine(_directory, "desired-1.json");
        await File.WriteAllTextAsync(desired, "{ not json");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sync = new AgentSync(new AgentSource(null, desired, "i-1"), null, new LinuxKernel(new CommandRunner(lab.Host(1))), new PolicyOptions(), http, TimeProvider.System);
        var host = new AgentHost(sync, new AgentHostOptions(new IPEndPoint(IPAddress.Loopback, 0), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)), TimeProvider.System);
        var errors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(e => { errors.Enqueue(e); return Task.CompletedTask; }, stop.Token);
        var url = await host.Listening.WaitAsync(TimeSpan.FromSeconds(30));

        var broken = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        Assert.Contains("lastError", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await UntilAsync(() => !errors.IsEmpty), "the failed sync was not reported");

        Assert.Equal(desired, Desired(1));
        Assert.True(await UntilAsync(async () => (await http.GetAsync(url)).StatusCode == HttpStatusCode.OK), $"/healthz never turned 200: {sync.Status}");
        using (var health = JsonDocument.Parse(await http.GetStringAsync(url)))
        {
            Assert.True(health.RootElement.GetProperty("forwarding").GetBoolean());
            Assert.True(health.RootElement.GetProperty("routesInSync").GetBoolean());
            Assert.True(health.RootElement.GetProperty("policyApplied").GetBoolean());
        }

        var state = JsonSerializer.Deserialize<AgentDesiredState>(await File.ReadAllTextAsync(desired), AgentSync.Json)!;
        state = state with { Peers = [.. state.Peers.Select(p => p.InstanceId == "i-2" ? p with { Blocks = [.. p.Blocks, new OwnedBlock(Cidr.Parse("100.96.0.128/28"), "db")] } : p)] };
        await File.WriteAllTextAsync(desired, JsonSerializer.Serialize(state, AgentSync.Json));
        Assert.True(
            await UntilAsync(() => NetnsLab.Run($"ip -n {lab.Host(1)} route show 100.96.0.128/28").Output.Contains($"via {NetnsLab.HostIp(2)}", StringComparison.Ordinal)),
            "the new peer block's route never appeared");

        await stop.CancelAsync();
        await run;
    }

    /// <summary>Checks <paramref name="condition"/> every 100 ms for up to 20 s.</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(20); waited += step)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(step, TimeProvider.System);
        }

        return false;
    }

    private static Task<bool> UntilAsync(Func<bool> condition) => UntilAsync(() => Task.FromResult(condition()));

    private static async Task<int> LinesAfterAsync(string path, TimeSpan wait)
    {
        await Task.Delay(wait, TimeProvider.System);
        return File.Exists(path) ? (await File.ReadAllLinesAsync(path)).Length : 0;
    }
}
