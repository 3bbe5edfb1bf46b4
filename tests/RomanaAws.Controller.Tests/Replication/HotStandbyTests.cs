using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Controller.Tests.Api;
using RomanaAws.Core.Agents;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Controller.Tests.Replication;

/// <summary>
/// Two controller replicas (real hosts, real HTTP on loopback) on one simulator, their state on a real 3-member etcd:
/// one leads and writes routes, the other is a warm standby serving agents' reads and forwarding their block claims
/// to the leader; when the leader stops, the standby takes over and reconciles, with every claim kept.
/// </summary>
public sealed class HotStandbyTests(ITestOutputHelper output)
{
    private const string Host1 = "i-0a000000000000001";

    /// <summary>Each replica its own EC2 client (a host disposes the one it was given when it stops).</summary>
    private static Aws.Ec2.Ec2Api OwnEc2(ControllerFixture fixture) =>
        new(Aws.Ec2.Ec2ClientFactory.Create(fixture.Aws, new Amazon.Runtime.BasicAWSCredentials("test", "test")), fixture.Aws, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Aws.Ec2.Ec2Api>.Instance);

    private static async Task<JsonElement> ReadyAsync(HttpClient http) => JsonDocument.Parse(await (await http.GetAsync("readyz")).Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, HttpClient? show = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"{what}: not within {timeout.TotalSeconds:0} s" + (show is null ? "" : $" (readyz: {await ReadyAsync(show)})"));
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    [Fact]
    public async Task TwoReplicas_OneLeads_StandbyServesReadsAndForwardsClaims_TakesOverWhenTheLeaderStops()
    {
        if (EtcdCluster.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but etcd cannot run: {missing}");
            output.WriteLine($"skipped: {missing}");
            return;
        }

        await using var etcd = await EtcdCluster.StartAsync(3);
        await using var fixture = await ControllerFixture.StartAsync();
        var config = Path.Combine(ControllerFixture.Scenarios, "controller.yaml");
        string[] args = ["--controller:stateBackend=etcd", .. etcd.Endpoints.Select((e, i) => $"--etcd:endpoints:{i}={e}"), "--controller:resyncSeconds=5"];
        var (first, firstPort) = await HostStarter.StartAsync(config, args, new ControllerHostOptions { Ec2 = OwnEc2(fixture) });
        using var a = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{firstPort}/") };
        await UntilAsync(async () => (await ReadyAsync(a)).GetProperty("status").GetString() == "ready", TimeSpan.FromSeconds(30), "the first replica leads and reconciles", a);
        Assert.Equal("leader", (await ReadyAsync(a)).GetProperty("role").GetString());

        var (second, secondPort) = await HostStarter.StartAsync(config, args, new ControllerHostOptions { Ec2 = OwnEc2(fixture) });
        await using var standbyApp = second;
        using var b = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{secondPort}/") };
        await UntilAsync(async () => (await ReadyAsync(b)).GetProperty("status").GetString() == "ready", TimeSpan.FromSeconds(30), "the standby loads the state");
        Assert.Equal("follower", (await ReadyAsync(b)).GetProperty("role").GetString());
        Assert.Contains("romana_leader{cluster=\"demo.k8s.local\"} 0", await b.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Contains("romana_leader{cluster=\"demo.k8s.local\"} 1", await a.GetStringAsync("metrics"), StringComparison.Ordinal);

        // The standby serves the agent's read from its own state, and forwards a claim to the leader.
        var desired = await b.GetFromJsonAsync<AgentDesiredState>($"v1/agents/{Host1}", AgentSync.Json);
        Assert.Equal(Host1, desired!.InstanceId);
        using var claim = await b.PostAsJsonAsync($"v1/agents/{Host1}/blocks", new BlockClaimRequest("shop"));
        Assert.True(claim.StatusCode == HttpStatusCode.Created, await claim.Content.ReadAsStringAsync());
        Assert.True(claim.Headers.Contains("X-Romana-Forwarded-To"));
        var block = (await claim.Content.ReadFromJsonAsync<BlockClaim>(AgentSync.Json))!;
        await UntilAsync(async () => (await b.GetFromJsonAsync<AgentDesiredState>($"v1/agents/{Host1}", AgentSync.Json))!.Blocks.Any(x => x.Cidr == block.Cidr),
            TimeSpan.FromSeconds(5), "the standby's watch-fed state shows the leader's claim");

        // The leader stops (rolling update: it revokes its lease): the standby leads, reconciles, keeps the claim.
        await first.StopAsync();
        await first.DisposeAsync();
        var takeover = Stopwatch.StartNew();
        await UntilAsync(async () => (await ReadyAsync(b)).GetProperty("role").GetString() == "leader", TimeSpan.FromSeconds(10), "the standby takes over");
        await UntilAsync(async () => (await ReadyAsync(b)).TryGetProperty("lastSuccess", out var s) && s.ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(10), "the new leader reconciles", b);
        output.WriteLine($"takeover to the first pass: {takeover.ElapsedMilliseconds} ms (after a clean stop)");
        using var again = await b.PostAsJsonAsync($"v1/agents/{Host1}/blocks", new BlockClaimRequest("shop"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains("X-Romana-Forwarded-To"));
        var blocks = (await b.GetFromJsonAsync<AgentDesiredState>($"v1/agents/{Host1}", AgentSync.Json))!.Blocks.Where(x => x.Owner == "shop").ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Contains(blocks, x => x.Cidr == block.Cidr);
    }
}
