using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

public sealed class IpamTopologyChangeTests
{
    private static CoreIpam Populated(out Dictionary<string, string> addresses)
    {
        var ipam = WithHosts(MakeTopology(), 12);
        addresses = [];
        for (var i = 0; i < 200; i++)
        {
            var pod = ipam.Allocate($"ns/p{i}", InstanceId((i % 12) + 1), i % 3 == 0 ? "kube-system" : "default");
            addresses[pod.PodKey] = pod.Address.ToString();
        }

        return ipam;
    }

    private static void AssertUnmoved(CoreIpam before, CoreIpam after, Dictionary<string, string> addresses)
    {
        foreach (var (pod, address) in addresses)
        {
            Assert.Equal(address, after.FindPod(pod)!.Value.Address.ToString());
        }

        var beforeBlocks = before.ToDocument().Blocks.Select(b => (b.Cidr, b.Host, b.Owner)).ToList();
        Assert.Equal(beforeBlocks, after.ToDocument().Blocks.Select(b => (b.Cidr, b.Host, b.Owner)));
    }

    [Fact]
    public void ApplyTopology_AddZone_TakesSpareWithoutMovingAnything()
    {
        var ipam = Populated(out var addresses);
        var next = ipam.ApplyTopology(MakeTopology(zones: [.. ThreeZones, "us-east-1d"]), out var changes);
        AssertUnmoved(ipam, next, addresses);
        Assert.Contains("zone 'us-east-1d' added", changes);
        var zones = next.Plan().Networks[0].Zones;
        Assert.Equal("100.120.0.0/13", zones.Single(z => z.Name == "us-east-1d").Cidr.ToString());
        Assert.Equal(ipam.Plan().Networks[0].Zones.Select(z => z.Cidr), zones.Where(z => z.Name != "us-east-1d").Select(z => z.Cidr));
        Assert.NotNull(next.AddHost(Host(99, "us-east-1d", 99)));
    }

    [Fact]
    public void ApplyTopology_AddNetwork_PlacesEveryHostInIt()
    {
        var ipam = Populated(out var addresses);
        var topology = MakeTopology(routeLimit: 60) with
        {
            Networks = [.. MakeTopology().Networks, new NetworkConfig { Name = "extra", Cidr = Cidr.Parse("100.64.0.0/12") }],
        };
        var next = ipam.ApplyTopology(topology, out _);
        AssertUnmoved(ipam, next, addresses);
        Assert.All(next.Hosts, h => Assert.Equal(2, next.FindHost(h.InstanceId)!.Groups.Count));
        Assert.Equal("100.64.0.0", next.Allocate("x/p", InstanceId(1), "x", "extra").Address.ToString());
    }

    [Fact]
    public void ApplyTopology_RaiseGroups_KeepsHostsWithTheirBlocks()
    {
        var ipam = Populated(out var addresses);
        var next = ipam.ApplyTopology(MakeTopology(groupsPerSubnet: 8, routeLimit: 60), out var changes);
        AssertUnmoved(ipam, next, addresses);
        Assert.Contains(changes, c => c.Contains("groupsPerSubnet 4 → 8", StringComparison.Ordinal));
        foreach (var block in next.ToDocument().Blocks)
        {
            var group = next.FindHost(block.Host)!.Groups[0];
            Assert.True(group.Cidr.Contains(block.Cidr), $"{block.Cidr} outside {group.Cidr}");
            Assert.Equal(17, group.Cidr.PrefixLength);
        }
    }

    [Fact]
    public void ApplyTopology_LowerGroups_MergesHosts()
    {
        var ipam = Populated(out var addresses);
        var next = ipam.ApplyTopology(MakeTopology(groupsPerSubnet: 1), out _);
        AssertUnmoved(ipam, next, addresses);
        Assert.Equal(3, next.Plan().RoutesPerTable);
    }

    [Fact]
    public void ApplyTopology_RaiseGroupsWhenAHostSpansHalves_RefusedWithTheHost()
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 1));
        ipam.AddHost(Host(1));
        ipam.AddHost(Host(2));
        for (var i = 0; i < 33 * 16; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        var ex = Assert.Throws<TopologyChangeRefusedException>(() => ipam.ApplyTopology(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 2), out IReadOnlyList<string> _));
        Assert.Contains(ex.Breaks, b => b.StartsWith($"host {InstanceId(1)} holds blocks", StringComparison.Ordinal));
    }

    [Fact]
    public void ApplyTopology_OrphaningChanges_RefusedListingAllBreaks()
    {
        var ipam = Populated(out _);
        var breaking = MakeTopology(zones: ["us-east-1a", "us-east-1b"], blockMask: 27, exclude: ["100.96.0.0/24"]);
        var ex = Assert.Throws<TopologyChangeRefusedException>(() => ipam.ApplyTopology(breaking, out _));
        Assert.Contains(ex.Breaks, b => b.StartsWith("zone 'us-east-1c' is removed but host", StringComparison.Ordinal));
        Assert.Contains(ex.Breaks, b => b.StartsWith("network 'pods': blockMask /28 → /27 would re-cut ", StringComparison.Ordinal)
            && b.Contains(" allocated block(s): 100.96.0.0/28, ", StringComparison.Ordinal));
        Assert.Contains(ex.Breaks, b => b.Contains("new excluded range 100.96.0.0/24 covers allocated block 100.96.0.0/28", StringComparison.Ordinal));
        Assert.Contains("topology change refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTopology_SubnetsPerZoneChangeWithBoundSubnets_Refused()
    {
        var ipam = WithHosts(MakeTopology(), 3);
        var ex = Assert.Throws<TopologyChangeRefusedException>(() => ipam.ApplyTopology(MakeTopology(subnetsPerZone: 4, groupsPerSubnet: 2), out _));
        Assert.Equal(3, ex.Breaks.Count);
        Assert.All(ex.Breaks, b => Assert.Contains("subnetsPerZone 2 → 4 would move subnet", b, StringComparison.Ordinal));
    }

    [Fact]
    public void ApplyTopology_RemoveEmptyZoneAndGrowNetwork_Allowed()
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: "100.96.0.0/12"));
        ipam.AddHost(Host(1));
        ipam.Allocate("ns/p", InstanceId(1), "ns");
        var next = ipam.ApplyTopology(MakeTopology(cidr: "100.96.0.0/11", zones: ["us-east-1a", "us-east-1b"]), out var changes);
        Assert.Contains(changes, c => c.Contains("zone 'us-east-1c' removed", StringComparison.Ordinal));
        Assert.Equal("100.96.0.0", next.FindPod("ns/p")!.Value.Address.ToString());
        Assert.Equal(2, next.Plan().Networks[0].Zones.Count);
    }

    [Fact]
    public void ApplyTopology_LeavesTheOriginalUntouched()
    {
        var ipam = Populated(out _);
        var before = ipam.ToDocument();
        _ = ipam.ApplyTopology(MakeTopology(zones: [.. ThreeZones, "us-east-1d"], groupsPerSubnet: 8, routeLimit: 80), out _);
        Assert.Equal(
            Persistence.IpamStateSerializerTests.Json(before),
            Persistence.IpamStateSerializerTests.Json(ipam.ToDocument()));
    }
}
