using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;
using static RomanaAws.Controller.Tests.Eventually;

namespace RomanaAws.Controller.Tests.Replication;

/// <summary>
/// Two controller replicas as processes (the built CLI) on one simulator and a real 3-member etcd, the leader
/// interrupted mid-pass the hard ways: SIGKILL (no lease revoked) and SIGSTOP past its lease then SIGCONT. Each
/// replica signs its EC2 calls with its own access key, so the simulator's write log shows who wrote what, in order.
/// Agents claim blocks through both replicas all along.
/// </summary>
public sealed class LeaderProcessTests(ITestOutputHelper output)
{
    private static readonly Core.Topology.TopologyConfig Topology = ControllerConfig.Load(ReplicaRig.Config).Topology;

    [Fact]
    public async Task KillNine_LeaderMidPass_StandbyTakesOverAndConverges_NothingLostOrDoubled()
    {
        if (Skip())
        {
            return;
        }

        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 2);
        var (old, next) = await MidPassAsync(rig);
        await using var claims = new ClaimLoad([old, next], await HostsAsync(rig));
        var before = await rig.StateAsync(Topology);
        await UntilAsync(() => Task.FromResult(rig.WritesBy(old.Caller).Count >= 4), TimeSpan.FromSeconds(30), "the leader is part-way through its pass");
        var made = rig.WritesBy(old.Caller);
        output.WriteLine($"{old.Caller} has made {made.Count} EC2 writes of its first pass, over {(made[^1].At - made[0].At).TotalSeconds:0.0} s; {string.Join(" ", made.Select(w => w.Action))}");

        old.Kill();
        var killed = Stopwatch.StartNew();
        Assert.Same(next, await ReplicaRig.LeaderAsync(TimeSpan.FromSeconds(15), next));
        output.WriteLine($"{next.Caller} leads {killed.ElapsedMilliseconds} ms after the SIGKILL of {old.Caller}");
        await InSyncAsync(next);
        await claims.UntilAsync(claims.Answered.Count + 5);
        await claims.StopAsync();

        var oldWrites = rig.WritesBy(old.Caller);
        var newWrites = rig.WritesBy(next.Caller);
        output.WriteLine($"EC2 writes: {oldWrites.Count} by {old.Caller} before the kill, {newWrites.Count} by {next.Caller} after; {claims.Answered.Count} claims answered");
        Assert.NotEmpty(newWrites); // the pass was cut short: the new leader had routes left to write
        Assert.True(oldWrites.Max(w => w.Sequence) < newWrites.Min(w => w.Sequence), "a write of the old leader arrived after the new leader's first");
        await AssertConvergedAsync(rig, before, claims);
    }

    [Fact]
    public async Task SigStop_LeaderPausedPastItsLease_NeverWritesAfterTheNewLeadersFirstWrite_AndStepsDown()
    {
        if (Skip())
        {
            return;
        }

        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 2);
        var (old, next) = await MidPassAsync(rig);
        await using var claims = new ClaimLoad([old, next], await HostsAsync(rig));
        var before = await rig.StateAsync(Topology);
        await UntilAsync(() => Task.FromResult(rig.WritesBy(old.Caller).Count >= 4), TimeSpan.FromSeconds(30), "the leader is part-way through its pass");
        var made = rig.WritesBy(old.Caller);
        output.WriteLine($"{old.Caller} has made {made.Count} EC2 writes of its first pass, over {(made[^1].At - made[0].At).TotalSeconds:0.0} s; {string.Join(" ", made.Select(w => w.Action))}");

        await old.PauseAsync();
        var paused = Stopwatch.StartNew();
        Assert.Same(next, await ReplicaRig.LeaderAsync(TimeSpan.FromSeconds(15), next));
        await UntilAsync(() => Task.FromResult(rig.WritesBy(next.Caller).Count > 0), TimeSpan.FromSeconds(15), "the new leader writes");
        var firstNew = rig.WritesBy(next.Caller).Min(w => w.Sequence);
        output.WriteLine($"{next.Caller} led and wrote {paused.ElapsedMilliseconds} ms after {old.Caller} was stopped; resuming it");

        await old.ResumeAsync();
        await UntilAsync(async () => await old.RoleAsync() == "follower", TimeSpan.FromSeconds(10), $"{old.Caller} steps down after it resumes");
        await InSyncAsync(next);
        await claims.UntilAsync(claims.Answered.Count + 5);
        await claims.StopAsync();

        var late = rig.WritesBy(old.Caller).Where(w => w.Sequence > firstNew).ToList();
        Assert.True(late.Count == 0, $"the resumed old leader wrote after the new leader's first write: {string.Join(", ", late)}\n{ReplicaRig.Tail(old.Output)}");
        Assert.Equal("leader", await next.RoleAsync());
        await AssertConvergedAsync(rig, before, claims);
    }

    [Fact]
    public async Task EtcdMajorityLost_LeaderStepsDown_NoRouteChangesWhileARouterDies_RecoversAndFailsOverWhenEtcdIsBack()
    {
        if (Skip())
        {
            return;
        }

        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 5, burst: 50);
        var (leader, standby) = await rig.StartPairAsync(TimeSpan.FromSeconds(30));
        await InSyncAsync(leader);
        var target = (await rig.ManagedTablesAsync(Topology.Cluster)).SelectMany(t => t.Routes ?? []).First(r => r.InstanceId is not null && r.DestinationCidrBlock.StartsWith("100.", StringComparison.Ordinal)).InstanceId;

        rig.Etcd.Kill(0);
        rig.Etcd.Kill(1); // one member of three left: etcd commits nothing, the lease cannot be renewed
        var cut = Stopwatch.StartNew();
        var before = rig.Simulator.Control.Writes.Where(w => w.Caller != "rig").Select(w => w.Sequence).DefaultIfEmpty(0).Max();
        await UntilAsync(async () => await leader.RoleAsync() != "leader" && await standby.RoleAsync() != "leader", TimeSpan.FromSeconds(10), "the leader steps down");
        output.WriteLine($"{leader.Caller} stepped down {cut.ElapsedMilliseconds} ms after etcd lost its majority; stopping {target}, a route target");
        await rig.Ec2.StopInstancesAsync(new Amazon.EC2.Model.StopInstancesRequest { InstanceIds = [target] });
        await Task.Delay(TimeSpan.FromSeconds(6), TimeProvider.System); // several health rounds and a resync: a leader would have failed over by now

        var during = rig.Simulator.Control.Writes.Where(w => w.Caller != "rig" && w.Sequence > before).ToList();
        Assert.True(during.Count == 0, $"a replica wrote to EC2 while etcd had no majority: {string.Join(", ", during)}");
        Assert.False(leader.HasExited || standby.HasExited, "a replica exited while etcd had no majority");
        Assert.Contains((await rig.ManagedTablesAsync(Topology.Cluster)).SelectMany(t => t.Routes ?? []), r => r.InstanceId == target); // routes as they were

        rig.Etcd.Restart(0);
        rig.Etcd.Restart(1);
        await rig.Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        var next = await ReplicaRig.LeaderAsync(TimeSpan.FromSeconds(30), leader, standby);
        await UntilAsync(async () => !(await rig.ManagedTablesAsync(Topology.Cluster)).SelectMany(t => t.Routes ?? []).Any(r => r.InstanceId == target), TimeSpan.FromSeconds(30), $"{next.Caller} fails over the routes of the stopped {target}");
        await InSyncAsync(next);
        Assert.Contains(rig.WritesBy(next.Caller), w => w.Sequence > before);
    }

    [Fact]
    public async Task ConcurrentClaimsAndReleases_ThroughBothReplicas_NeverAssignOneBlockTwice()
    {
        if (Skip())
        {
            return;
        }

        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 5, burst: 50);
        var (leader, standby) = await rig.StartPairAsync(TimeSpan.FromSeconds(30));
        await InSyncAsync(leader);
        var hosts = await HostsAsync(rig);
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}; leader {leader.Caller}; {hosts.Count} hosts");

        // 8 agents at once, each claiming (and sometimes giving back) through either replica at random.
        var held = new ConcurrentDictionary<Cidr, (string Host, string Owner)>();
        var refused = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(agent => Task.Run(async () =>
        {
            var random = new Random(seed + agent);
            var mine = new List<(Cidr Cidr, string Host)>();
            for (var op = 0; op < 25; op++)
            {
                var via = random.Next(2) == 0 ? leader : standby;
                if (mine.Count > 0 && random.Next(4) == 0)
                {
                    var (cidr, host) = mine[random.Next(mine.Count)];

                    // Off the books before the request leaves: once the leader has given it back (before our answer
                    // arrives) another agent may be handed the same block, rightly.
                    Assert.True(held.TryRemove(cidr, out var was));
                    mine.Remove((cidr, host));
                    using var release = await via.Http.DeleteAsync(new Uri($"v1/agents/{host}/blocks/{cidr}", UriKind.Relative));
                    if (release.StatusCode != HttpStatusCode.OK)
                    {
                        refused.Add($"release {cidr} via {via.Caller}: {(int)release.StatusCode} {await release.Content.ReadAsStringAsync()}");
                        Assert.True(held.TryAdd(cidr, was), $"{cidr} was handed out again although its release was refused");
                        mine.Add((cidr, host));
                    }

                    continue;
                }

                var claimant = hosts[random.Next(hosts.Count)];
                var owner = $"ns-{random.Next(3)}";
                using var claim = await via.Http.PostAsJsonAsync(new Uri($"v1/agents/{claimant}/blocks", UriKind.Relative), new BlockClaimRequest(owner), AgentSync.Json);
                if (claim.StatusCode != HttpStatusCode.Created)
                {
                    refused.Add($"claim for {claimant} via {via.Caller}: {(int)claim.StatusCode} {await claim.Content.ReadAsStringAsync()}");
                    continue;
                }

                var block = (await claim.Content.ReadFromJsonAsync<BlockClaim>(AgentSync.Json))!;
                Assert.True(held.TryAdd(block.Cidr, (claimant, owner)), $"{block.Cidr} was answered to two claims");
                mine.Add((block.Cidr, claimant));
            }
        })));

        Assert.True(refused.IsEmpty, string.Join("\n", refused));
        var state = await rig.StateAsync(Topology);
        var claimed = state.BlockUsage().Where(u => u.Claimed).ToList();
        Assert.Equal(claimed.Count, claimed.Select(u => u.Cidr).Distinct().Count());
        Assert.Equal(held.OrderBy(h => h.Key.ToString()).Select(h => $"{h.Key} {h.Value.Host} {h.Value.Owner}"),
            claimed.OrderBy(u => u.Cidr.ToString()).Select(u => $"{u.Cidr} {u.InstanceId} {u.Owner}"));
        output.WriteLine($"{held.Count} blocks held at the end, each once, exactly as answered");
    }

    private bool Skip()
    {
        if (ReplicaRig.Missing() is not { } missing)
        {
            return false;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the replica rig cannot run: {missing}");
        output.WriteLine($"skipped: {missing}");
        return true;
    }

    /// <summary>Starts two replicas and returns (leader, standby) once the leader is part-way through its first pass and the standby is warm.</summary>
    private static async Task<(ControllerProcess Leader, ControllerProcess Standby)> MidPassAsync(ReplicaRig rig)
    {
        var (leader, standby) = await rig.StartPairAsync(TimeSpan.FromSeconds(30));
        await UntilAsync(async () => await standby.RoleAsync() == "follower" && (await standby.ReadyAsync())?.GetProperty("status").GetString() == "ready",
            TimeSpan.FromSeconds(30), "the standby is warm");
        await UntilAsync(() => Task.FromResult(rig.WritesBy(leader.Caller).Count >= 2), TimeSpan.FromSeconds(30), "the leader is writing routes");
        return (leader, standby);
    }

    private static async Task<List<string>> HostsAsync(ReplicaRig rig)
    {
        List<string> hosts = [];
        await UntilAsync(async () => (hosts = [.. (await rig.StateAsync(Topology)).Hosts.Select(h => h.InstanceId)]).Count > 0, TimeSpan.FromSeconds(30), "hosts registered");
        return hosts;
    }

    private static Task InSyncAsync(ControllerProcess leader) => UntilAsync(leader.InSyncAsync, TimeSpan.FromSeconds(60), $"{leader.Caller} converges");

    /// <summary>Nothing lost or doubled: the hosts as before, every answered claim held once, one route per group in every table.</summary>
    private static async Task AssertConvergedAsync(ReplicaRig rig, Core.Ipam.Ipam before, ClaimLoad claims)
    {
        var state = await rig.StateAsync(Topology);
        Assert.Equal(before.Hosts.Select(h => h.InstanceId).Order(), state.Hosts.Select(h => h.InstanceId).Order());
        var blocks = state.BlockUsage().Where(u => u.Claimed).ToList();
        Assert.Equal(blocks.Count, blocks.Select(u => u.Cidr).Distinct().Count());
        foreach (var claim in claims.Answered)
        {
            Assert.Contains(blocks, u => u.Cidr == claim.Cidr && u.InstanceId == claim.InstanceId && u.Owner == claim.Owner);
        }

        var routes = state.Plan().Routes;
        var tables = await rig.ManagedTablesAsync(Topology.Cluster);
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            var ours = (table.Routes ?? []).Where(r => r.NetworkInterfaceId is not null && r.DestinationCidrBlock.StartsWith("100.", StringComparison.Ordinal)).ToList();
            Assert.Equal(routes.Select(r => r.Destination.ToString()).Order(), ours.Select(r => r.DestinationCidrBlock).Order());
            foreach (var route in ours)
            {
                Assert.Contains(route.InstanceId, routes.Single(r => r.Destination.ToString() == route.DestinationCidrBlock).Hosts);
            }
        }
    }
}
