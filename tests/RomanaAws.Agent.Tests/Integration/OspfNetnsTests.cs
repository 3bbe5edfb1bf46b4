using System.Diagnostics;
using RomanaAws.Agent.Bird;
using Xunit.Abstractions;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// Routing mode ospf against an independent OSPF implementation: the same two racks with FRR (zebra + ospfd) as the
/// routers, each rack's segment in its own area, the routers' link in the backbone. Asserts on FRR's routes
/// (<c>vtysh -c 'show ip route json'</c>, which zebra also installs in the routers' kernels) and with real packets.
/// </summary>
public sealed class OspfNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int DeadSeconds = 3;

    private static readonly string Ospf = RackScenario.OspfRouting(DeadSeconds, bfd: false);

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-ospf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TwoRacks_FrrOspfRouters_OnePrefixPerGroup_WithdrawnAfterTheDeadInterval_PodsReachAcrossRacks()
    {
        if (!BgpNetnsTests.Prerequisites(output))
        {
            return;
        }

        using var scenario = await RackScenario.StartAsync(RackScenario.TopologyText(Ospf), RouterKind.FrrOspf, DeadSeconds, _directory, output.WriteLine);
        var lab = scenario.Lab;
        var pods = scenario.Pods;
        var groups = scenario.Groups();
        Assert.Equal(4, groups.Count);

        // Exactly one route per non-empty group (an external route from every host of the group), nothing per block.
        var converging = Stopwatch.StartNew();
        scenario.WaitForRib(1, TimeSpan.FromSeconds(60));
        scenario.WaitForRib(2, TimeSpan.FromSeconds(60));
        output.WriteLine($"both routers had one route per group {converging.Elapsed.TotalSeconds:0.0} s after the last agent's first sync");
        Assert.Equal("0.0.0.1", scenario.Agents[1].Desired!.Ospf!.Area);
        foreach (var (node, agent) in scenario.Agents)
        {
            var status = await scenario.SyncAsync(node, full: false);
            var routing = Assert.IsType<RoutingStatus>(status.Routing);
            // Fully adjacent to the rack's router only, the designated router: the nodes (priority 0) never become it, so
            // they stay at 2-Way with each other.
            var adjacency = Assert.Single(routing.Sessions, s => s.Established);
            Assert.Equal((RackLab.RouterIp(node <= 3 ? 1 : 2), "Full/DR"), (adjacency.Neighbor, adjacency.Info));
            Assert.Equal(agent.Desired!.Groups.Select(g => g.ToString()), routing.Exported[BirdConfig.OspfProtocol]);
        }

        foreach (var (from, to) in new[] { (1, 4), (2, 5), (3, 4), (4, 1), (5, 3), (5, 2) })
        {
            Assert.True(lab.Ping(from, pods[to]), $"pod on node-{from} cannot reach the pod on node-{to} ({pods[to]})");
        }

        // Kill a host of the two-host group: OSPF drops it after the dead interval (plus SPF); the other host's pod stays reachable.
        var pair = groups.First(g => g.Value.Count == 2);
        var victim = RackScenario.NodeOf(pair.Value[0]);
        var survivor = RackScenario.NodeOf(pair.Value[1]);
        var clock = Stopwatch.StartNew();
        lab.KillNode(victim);
        RackLab.Wait(() => lab.Rib(1).TryGetValue(pair.Key, out var hops) && !hops.Contains(RackLab.NodeIp(1, victim)), TimeSpan.FromSeconds(DeadSeconds + 5), $"node-{victim} was not withdrawn from {pair.Key}");
        var withdrawn = clock.Elapsed;
        output.WriteLine($"node-{victim} withdrawn from {pair.Key} after {withdrawn.TotalMilliseconds:0} ms (dead interval {DeadSeconds} s)");
        Assert.True(withdrawn < TimeSpan.FromSeconds(DeadSeconds + 2), $"withdrawn after {withdrawn}, dead interval is {DeadSeconds} s");
        Assert.Equal([RackLab.NodeIp(1, survivor)], lab.Rib(1)[pair.Key]);
        RackLab.Wait(() => lab.Ping(4, pods[survivor]), TimeSpan.FromSeconds(5), $"the pod on node-{survivor} is unreachable from rack 2 after node-{victim} died");
        Assert.Equal(4, lab.Rib(2).Count);
    }
}
