using RomanaAws.Core.Ipam;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

public sealed class IpamPodTests
{
    private static CoreIpam OneHost(string cidr = "100.96.0.0/11", string[]? exclude = null)
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: cidr, exclude: exclude));
        ipam.AddHost(Host(1));
        return ipam;
    }

    [Fact]
    public void Allocate_LowestFirst_AndIdempotentPerKey()
    {
        var ipam = OneHost();
        var a = ipam.Allocate("ns/a", InstanceId(1), "ns");
        var b = ipam.Allocate("ns/b", InstanceId(1), "ns");
        Assert.Equal("100.96.0.0", a.Address.ToString());
        Assert.Equal("100.96.0.1", b.Address.ToString());
        Assert.Equal("100.96.0.0/28", a.Block.ToString());
        Assert.Equal(a, ipam.Allocate("ns/a", InstanceId(1), "ns"));
        Assert.Equal(2, ipam.PodCount);
    }

    [Fact]
    public void Allocate_ExcludedRangeSkipped()
    {
        var ipam = OneHost(exclude: ["100.96.0.0/24", "100.96.1.5/32"]);
        Assert.Equal("100.96.1.16/28", ipam.Allocate("ns/a", InstanceId(1), "ns").Block.ToString());
    }

    [Fact]
    public void Allocate_BlockFull_TakesNextBlock_OwnersNeverShareABlock()
    {
        var ipam = OneHost();
        var addresses = Enumerable.Range(0, 17).Select(i => ipam.Allocate($"ns/p{i}", InstanceId(1), "ns")).ToList();
        Assert.Equal("100.96.0.0/28", addresses[15].Block.ToString());
        Assert.Equal("100.96.0.16/28", addresses[16].Block.ToString());
        var other = ipam.Allocate("kube-system/dns", InstanceId(1), "kube-system");
        Assert.Equal("100.96.0.32/28", other.Block.ToString());
        var segment = ipam.Allocate("ns/seg", InstanceId(1), "ns/frontend");
        Assert.Equal("100.96.0.48/28", segment.Block.ToString());
    }

    [Fact]
    public void Release_ThenAllocate_ReusesTheAddress()
    {
        var ipam = OneHost();
        for (var i = 0; i < 5; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        Assert.True(ipam.Release("ns/p2"));
        Assert.False(ipam.Release("ns/p2"));
        Assert.Equal("100.96.0.2", ipam.Allocate("ns/new", InstanceId(1), "ns").Address.ToString());
    }

    [Fact]
    public void Release_LastPodOfBlock_ReturnsBlockToGroup()
    {
        var ipam = OneHost();
        ipam.Allocate("a/p", InstanceId(1), "a");
        ipam.Allocate("b/p", InstanceId(1), "b");
        Assert.True(ipam.Release("a/p"));
        Assert.Single(ipam.ToDocument().Blocks);
        Assert.Equal("100.96.0.0/28", ipam.Allocate("c/p", InstanceId(1), "c").Block.ToString());
    }

    [Fact]
    public void Allocate_SameKeyElsewhere_Refused()
    {
        var ipam = OneHost();
        ipam.AddHost(Host(2));
        ipam.Allocate("ns/a", InstanceId(1), "ns");
        var ex = Assert.Throws<IpamException>(() => ipam.Allocate("ns/a", InstanceId(2), "ns"));
        Assert.Contains("already holds 100.96.0.0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "ns", "pod key")]
    [InlineData("p", "Bad_NS", "owner 'Bad_NS'")]
    [InlineData("p", "a/b/c", "owner 'a/b/c'")]
    public void Allocate_BadInput_Refused(string pod, string owner, string expected)
    {
        var ex = Assert.Throws<IpamException>(() => OneHost().Allocate(pod, InstanceId(1), owner));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_UnknownHostOrNetwork_Refused()
    {
        var ipam = OneHost();
        Assert.Contains("is not registered", Assert.Throws<IpamException>(() => ipam.Allocate("p", InstanceId(9), "ns")).Message, StringComparison.Ordinal);
        Assert.Contains("network 'nope' is not in the topology", Assert.Throws<IpamException>(() => ipam.Allocate("p", InstanceId(1), "ns", "nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_ZoneFull_TakesOverflowRangeAsOneMoreRoute()
    {
        // Zones are /22 quarters of a /20; one subnet slot and one group each: 64 blocks of 16 per group.
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 1));
        ipam.AddHost(Host(1));
        for (var i = 0; i < 64 * 16; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        Assert.Equal(1, ipam.Plan().RoutesPerTable);
        var overflow = ipam.Allocate("ns/overflow", InstanceId(1), "ns");
        Assert.Equal("10.0.12.0/28", overflow.Block.ToString());
        var plan = ipam.Plan();
        Assert.Equal(["10.0.0.0/22", "10.0.12.0/22"], plan.Routes.Select(r => r.Destination.ToString()));
        Assert.Equal(4, plan.MaxRoutesPerTable);

        Assert.True(ipam.Release("ns/overflow"));
        Assert.Equal(1, ipam.Plan().RoutesPerTable);
    }

    [Fact]
    public void Allocate_ZoneFullAndNoBudget_ExhaustionNamesWhereAndWhy()
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 1, routeLimit: 8, routeHeadroom: 5));
        ipam.AddHost(Host(1));
        for (var i = 0; i < 64 * 16; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        var ex = Assert.Throws<IpamExhaustedException>(() => ipam.Allocate("ns/one-more", InstanceId(1), "ns"));
        Assert.Equal(("pods", "us-east-1a", "10.0.0.0/22"), (ex.Network, ex.Zone, ex.Group));
        Assert.Equal(1.0, ex.Utilisation);
        Assert.Contains("route budget is 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("subnet 'subnet-00000000000000001'", ex.Message, StringComparison.Ordinal);
        Assert.Null(ipam.FindPod("ns/one-more"));
    }

    [Fact]
    public void Allocate_NoSpareSpace_ExhaustionSaysSo()
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/24", zones: ["us-east-1a"], subnetsPerZone: 1, groupsPerSubnet: 1) with { MaxZones = 1 });
        ipam.AddHost(Host(1));
        for (var i = 0; i < 256; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        var ex = Assert.Throws<IpamExhaustedException>(() => ipam.Allocate("ns/x", InstanceId(1), "ns"));
        Assert.Contains("has no spare /24 outside its zones", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RoutesOnlyForGroupsWithHosts_WithinBudget()
    {
        var ipam = WithHosts(MakeTopology(), 30);
        var plan = ipam.Plan();
        Assert.Equal(12, plan.RoutesPerTable);
        Assert.Equal(24, plan.MaxRoutesPerTable);
        Assert.Equal(45, plan.RouteBudget);
        Assert.All(plan.Routes, r => Assert.NotEmpty(r.Hosts));
        Assert.Equal(30, plan.Routes.Sum(r => r.Hosts.Count));
    }
}
