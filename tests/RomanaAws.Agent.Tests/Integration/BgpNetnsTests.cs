using System.Diagnostics;
using RomanaAws.Agent.Bird;
using Xunit.Abstractions;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// Routing mode bgp against an independent BGP implementation: two racks, GoBGP on each top-of-rack router, the real
/// agent (BIRD driven from its desired state) on every node (<see cref="RackScenario"/>). Asserts on the routers' RIBs
/// (<c>gobgp global rib -j</c>) and with real packets between pods of the two racks. Skips with a reason on a laptop
/// without root or tools; under CI=true a missing prerequisite fails.
/// </summary>
public sealed class BgpNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int HoldSeconds = 3;

    internal static readonly string Bgp = RackScenario.BgpRouting(HoldSeconds, bfd: false);

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-bgp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static bool Prerequisites(ITestOutputHelper output)
    {
        if (RackLab.Missing() is not { } missing)
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the rack lab cannot run: {missing}");
        output.WriteLine($"skipped: {missing}");
        return false;
    }

    [Fact]
    public async Task TwoRacks_GoBgpRouters_OnePrefixPerGroup_FailoverByWithdrawal_NoNewPrefixForANewHost()
    {
        if (!Prerequisites(output))
        {
            return;
        }

        using var scenario = await RackScenario.StartAsync(RackScenario.TopologyText(Bgp), RouterKind.GoBgp, HoldSeconds, _directory, output.WriteLine);
        var lab = scenario.Lab;
        var pods = scenario.Pods;

        // Exactly one prefix per non-empty group, every host of the group a next hop.
        var groups = scenario.Groups();
        Assert.Equal(4, groups.Count);
        Assert.Contains(groups.Values, hops => hops.Count == 2);
        scenario.WaitForRib(1, TimeSpan.FromSeconds(30));
        scenario.WaitForRib(2, TimeSpan.FromSeconds(30));

        // Each node's BIRD reports its session and exports exactly its group's prefix (what /healthz and /metrics show).
        foreach (var (node, agent) in scenario.Agents)
        {
            var status = await scenario.SyncAsync(node, full: false);
            var routing = Assert.IsType<RoutingStatus>(status.Routing);
            var session = Assert.Single(routing.Sessions);
            Assert.True(session.Established, $"node-{node}: {session}");
            Assert.Equal(agent.Desired!.Bgp!.Prefixes.Select(p => p.ToString()), routing.Exported[session.Protocol]);
            Assert.Equal(agent.Desired.Groups.Select(g => g.ToString()), routing.Exported[session.Protocol]);
            Assert.Equal(1, routing.Reconfigurations);
        }

        // Pods in rack 1 reach pods in rack 2 through the routers, and back.
        foreach (var (from, to) in new[] { (1, 4), (2, 5), (3, 4), (4, 1), (5, 3), (5, 2) })
        {
            Assert.True(lab.Ping(from, pods[to]), $"pod on node-{from} cannot reach the pod on node-{to} ({pods[to]})");
        }

        // Kill a host of a two-host group: BGP itself withdraws it within the hold time; traffic to the group's other
        // host's pod goes on.
        var pair = groups.First(g => g.Value.Count == 2 && g.Value.All(h => h.StartsWith("10.1.", StringComparison.Ordinal)));
        var victim = RackScenario.NodeOf(pair.Value[0]);
        var survivor = RackScenario.NodeOf(pair.Value[1]);
        var clock = Stopwatch.StartNew();
        lab.KillNode(victim);
        RackLab.Wait(() => !lab.Rib(1)[pair.Key].Contains(RackLab.NodeIp(1, victim)), TimeSpan.FromSeconds(HoldSeconds + 3), $"node-{victim} was not withdrawn from {pair.Key}");
        var withdrawn = clock.Elapsed;
        output.WriteLine($"node-{victim} withdrawn from {pair.Key} after {withdrawn.TotalMilliseconds:0} ms (hold time {HoldSeconds} s)");
        Assert.True(withdrawn < TimeSpan.FromSeconds(HoldSeconds + 1), $"withdrawn after {withdrawn}, hold time is {HoldSeconds} s");
        Assert.Equal([RackLab.NodeIp(1, survivor)], lab.Rib(1)[pair.Key]);
        RackLab.Wait(() => lab.Ping(4, pods[survivor]), TimeSpan.FromSeconds(5), $"the pod on node-{survivor} is unreachable from rack 2 after node-{victim} died");

        // A new host joins a group: one more next hop, no new prefix.
        var joined = await scenario.AddNodeAsync(1, 6);
        var group = joined.Groups.Single().Cidr.ToString();
        RackLab.Wait(() => lab.Rib(1).TryGetValue(group, out var hops) && hops.Contains(RackLab.NodeIp(1, 6)), TimeSpan.FromSeconds(20), $"node-6 is not a next hop of {group}");
        Assert.Equal(4, lab.Rib(1).Count);
        Assert.Equal(4, lab.Rib(2).Count);
        Assert.True(lab.Rib(1)[group].Count >= 2, $"{group} should have node-6 beside its other host: {string.Join(", ", lab.Rib(1)[group])}");
    }
}
