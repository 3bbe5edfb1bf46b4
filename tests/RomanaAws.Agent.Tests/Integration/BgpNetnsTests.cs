using System.Diagnostics;
using System.Net;
using System.Text.Json;
using RomanaAws.Agent.Bgp;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;
using RomanaAws.Core.Topology;
using Xunit.Abstractions;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// Routing mode bgp against an independent BGP implementation: two racks, GoBGP on each top-of-rack router, the real
/// agent (BIRD driven from its desired state) on every node, the desired state from the real IPAM and topology reader.
/// Asserts on the routers' RIBs (<c>gobgp global rib -j</c>) and with real packets between pods of the two racks.
/// Skips with a reason on a laptop without root or tools; under CI=true a missing prerequisite fails.
/// </summary>
public sealed class BgpNetnsTests(ITestOutputHelper output) : IDisposable
{
    private const int HoldSeconds = 3;

    private static readonly string Topology = $$"""
        cluster: dc.example
        networks:
          - name: pods
            cidr: 100.96.0.0/16
            blockMask: 26
        zones: [dc1]
        subnetsPerZone: 2
        groupsPerSubnet: 2
        routing:
          mode: bgp
          asn: {{BgpLab.NodeAsn}}
          holdSeconds: {{HoldSeconds}}
          racks:
            - name: rack-1
              cidr: {{BgpLab.RackCidr(1)}}
              peers: [{ address: {{BgpLab.RouterIp(1)}}, asn: {{BgpLab.RouterAsn(1)}} }]
            - name: rack-2
              cidr: {{BgpLab.RackCidr(2)}}
              peers: [{ address: {{BgpLab.RouterIp(2)}}, asn: {{BgpLab.RouterAsn(2)}} }]
          hosts:
            - { name: node-1, ip: {{BgpLab.NodeIp(1, 1)}} }
            - { name: node-2, ip: {{BgpLab.NodeIp(1, 2)}} }
            - { name: node-3, ip: {{BgpLab.NodeIp(1, 3)}} }
            - { name: node-4, ip: {{BgpLab.NodeIp(2, 4)}} }
            - { name: node-5, ip: {{BgpLab.NodeIp(2, 5)}} }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-bgp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private bool Prerequisites()
    {
        if (BgpLab.Missing() is not { } missing)
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the BGP lab cannot run: {missing}");
        output.WriteLine($"skipped: {missing}");
        return false;
    }

    [Fact]
    public async Task TwoRacks_GoBgpRouters_OnePrefixPerGroup_FailoverByWithdrawal_NoNewPrefixForANewHost()
    {
        if (!Prerequisites())
        {
            return;
        }

        var topology = TopologyReader.Parse(Topology, "bgp-lab.yaml");
        var ipam = CoreIpam.Create(topology);
        var pods = new Dictionary<int, string>();
        foreach (var host in RackHosts.Specs(topology.Routing))
        {
            ipam.AddHost(host);
        }

        using var lab = new BgpLab(_directory);
        lab.BuildRouters(HoldSeconds);
        for (var node = 1; node <= 5; node++)
        {
            pods[node] = PodIp(ipam.ClaimBlock($"node-{node}", "default").Cidr);
            lab.AddNode(node <= 3 ? 1 : 2, node, pods[node]);
        }

        using var fib = FibSync(lab);
        var agents = Enumerable.Range(1, 5).ToDictionary(n => n, n => Agent(lab, n));
        foreach (var (node, agent) in agents)
        {
            await SyncAsync(agent, ipam, node);
        }

        // Exactly one prefix per non-empty group, every host of the group a next hop.
        var groups = Groups(ipam);
        output.WriteLine(string.Join("\n", groups.Select(g => $"group {g.Key}: {string.Join(", ", g.Value)}")));
        Assert.Equal(4, groups.Count);
        Assert.Contains(groups.Values, hops => hops.Count == 2);
        WaitForRib(lab, 1, groups, rack: 1);
        WaitForRib(lab, 2, groups, rack: 2);

        // Each node's BIRD reports its sessions and exports exactly its group's prefix.
        foreach (var (node, agent) in agents)
        {
            var status = await agent.SyncAsync(CancellationToken.None, full: false);
            var bgp = Assert.IsType<BgpStatus>(status.Bgp);
            var session = Assert.Single(bgp.Sessions);
            Assert.True(session.Established, $"node-{node}: {session}");
            Assert.Equal(agent.Desired!.Bgp!.Prefixes.Select(p => p.ToString()), bgp.Exported[session.Protocol]);
            Assert.Equal(agent.Desired.Groups.Select(g => g.ToString()), bgp.Exported[session.Protocol]);
            Assert.Equal(1, bgp.Reconfigurations);
        }

        // Pods in rack 1 reach pods in rack 2 through the routers, and back.
        foreach (var (from, to) in new[] { (1, 4), (2, 5), (3, 4), (4, 1), (5, 3), (5, 2) })
        {
            Assert.True(lab.Ping(from, pods[to]), $"pod on node-{from} cannot reach the pod on node-{to} ({pods[to]})");
        }

        // Kill a host of a two-host group: BGP itself withdraws it within the hold time; traffic to the group's other
        // host's pod goes on.
        var pair = groups.First(g => g.Value.Count == 2 && g.Value.All(h => h.StartsWith("10.1.", StringComparison.Ordinal)));
        var victim = NodeOf(pair.Value.First());
        var survivor = NodeOf(pair.Value.Last());
        var clock = Stopwatch.StartNew();
        lab.KillNode(victim);
        BgpLab.Wait(() => !lab.Rib(1)[pair.Key].Contains(BgpLab.NodeIp(1, victim)), TimeSpan.FromSeconds(HoldSeconds + 3), $"node-{victim} was not withdrawn from {pair.Key}");
        var withdrawn = clock.Elapsed;
        output.WriteLine($"node-{victim} withdrawn from {pair.Key} after {withdrawn.TotalMilliseconds:0} ms (hold time {HoldSeconds} s)");
        Assert.True(withdrawn < TimeSpan.FromSeconds(HoldSeconds + 1), $"withdrawn after {withdrawn}, hold time is {HoldSeconds} s");
        Assert.Equal([BgpLab.NodeIp(1, survivor)], lab.Rib(1)[pair.Key]);
        BgpLab.Wait(() => lab.Ping(4, pods[survivor]), TimeSpan.FromSeconds(5), $"the pod on node-{survivor} is unreachable from rack 2 after node-{victim} died");

        // A new host joins a group: one more next hop, no new prefix.
        var joined = ipam.AddHost(new HostSpec("node-6", "dc1", "rack-1", IPAddress.Parse(BgpLab.NodeIp(1, 6))));
        pods[6] = PodIp(ipam.ClaimBlock("node-6", "default").Cidr);
        lab.AddNode(1, 6, pods[6]);
        agents[6] = Agent(lab, 6);
        await SyncAsync(agents[6], ipam, 6);
        var group = joined.Groups.Single().Cidr.ToString();
        BgpLab.Wait(() => lab.Rib(1).TryGetValue(group, out var hops) && hops.Contains(BgpLab.NodeIp(1, 6)), TimeSpan.FromSeconds(20), $"node-6 is not a next hop of {group}");
        Assert.Equal(4, lab.Rib(1).Count);
        Assert.Equal(4, lab.Rib(2).Count);
        Assert.True(lab.Rib(1)[group].Count >= 2, $"{group} should have node-6 beside its other host: {string.Join(", ", lab.Rib(1)[group])}");
    }

    private static int NodeOf(string ip) => int.Parse(ip.Split('.')[3], System.Globalization.CultureInfo.InvariantCulture) - 10;

    /// <summary>Group CIDR → its hosts' addresses, from the IPAM (non-empty groups only).</summary>
    private static Dictionary<string, List<string>> Groups(CoreIpam ipam) =>
        ipam.Hosts.SelectMany(h => ipam.FindHost(h.InstanceId)!.Groups.Select(g => (Group: g.Cidr.ToString(), Ip: h.PrimaryIp.ToString())))
            .GroupBy(x => x.Group)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Ip).Order(StringComparer.Ordinal).ToList());

    /// <summary>Waits until router <paramref name="router"/> has exactly one prefix per group, with its rack's hosts (or the other router) as next hops.</summary>
    private void WaitForRib(BgpLab lab, int router, Dictionary<string, List<string>> groups, int rack)
    {
        var expected = groups.ToDictionary(
            g => g.Key,
            g => g.Value.All(ip => ip.StartsWith($"10.{rack}.", StringComparison.Ordinal)) ? g.Value : [$"10.0.0.{3 - rack}"]);
        IReadOnlyDictionary<string, IReadOnlySet<string>> rib = new Dictionary<string, IReadOnlySet<string>>();
        try
        {
            BgpLab.Wait(() =>
            {
                rib = lab.Rib(router);
                return rib.Count == expected.Count && expected.All(e => rib.TryGetValue(e.Key, out var hops) && hops.SetEquals(e.Value));
            }, TimeSpan.FromSeconds(30), $"router {router}'s RIB never matched");
        }
        finally
        {
            output.WriteLine($"router {router} RIB: {string.Join("; ", rib.Select(r => $"{r.Key} via {string.Join(", ", r.Value)}"))}");
        }
    }

    private AgentSync Agent(BgpLab lab, int node)
    {
        var http = new HttpClient();
        var source = new AgentSource(null, Path.Combine(_directory, $"desired-{node}.json"), $"node-{node}");
        return new AgentSync(source, null, new LinuxKernel(new CommandRunner(lab.Node(node))), new PolicyOptions(), http, TimeProvider.System,
            new BirdDaemon(new CommandRunner(lab.Node(node)), Path.Combine(_directory, $"bird-{node}"), $"node-{node}"));
    }

    private async Task SyncAsync(AgentSync agent, CoreIpam ipam, int node)
    {
        var desired = new AgentStateIndex(ipam.ToDocument(), ipam.Topology.Routing).For($"node-{node}")!;
        await File.WriteAllTextAsync(Path.Combine(_directory, $"desired-{node}.json"), JsonSerializer.Serialize(desired, AgentSync.Json));
        var status = await agent.SyncAsync(CancellationToken.None);
        output.WriteLine($"node-{node}: {status.LastError ?? "synced"}");
        Assert.Null(status.LastError);
    }

    private static string PodIp(Core.Net.Cidr block)
    {
        var bytes = block.NetworkAddress.GetAddressBytes();
        bytes[3]++;
        return new IPAddress(bytes).ToString();
    }

    /// <summary>Both routers' RIBs copied into their kernels every 100 ms until disposed.</summary>
    private static CancellableLoop FibSync(BgpLab lab) => new(() =>
    {
        lab.SyncFib(1);
        lab.SyncFib(2);
    });
}
