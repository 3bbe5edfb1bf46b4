using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

public sealed class IpamHostTests
{
    [Fact]
    public void Create_EqualZones_EachGetsAQuarterAndOneStaysSpare()
    {
        var plan = CoreIpam.Create(MakeTopology()).Plan();
        var network = Assert.Single(plan.Networks);
        Assert.Equal(["100.96.0.0/13", "100.104.0.0/13", "100.112.0.0/13"], network.Zones.Select(z => z.Cidr.ToString()));
        Assert.Equal(["100.120.0.0/13"], network.Spare.Select(c => c.ToString()));
        Assert.All(network.Zones, z => Assert.All(z.SubnetSlots, s => Assert.Null(s.Subnet)));
        Assert.Empty(plan.Routes);
    }

    [Fact]
    public void Create_WeightedZones_LargestShareFirstAndAligned()
    {
        var topology = MakeTopology() with
        {
            Zones = [new ZoneConfig { Name = "us-east-1a" }, new ZoneConfig { Name = "us-east-1b", Weight = 2 }, new ZoneConfig { Name = "us-east-1c" }],
        };
        var zones = CoreIpam.Create(topology).Plan().Networks[0].Zones.ToDictionary(z => z.Name, z => z.Cidr.ToString());
        Assert.Equal("100.96.0.0/12", zones["us-east-1b"]);
        Assert.Equal("100.112.0.0/13", zones["us-east-1a"]);
        Assert.Equal("100.120.0.0/13", zones["us-east-1c"]);
    }

    [Fact]
    public void AddHost_FewHosts_EachAloneInItsGroup()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var groups = Enumerable.Range(1, 4).Select(n => ipam.AddHost(Host(n)).Groups[0]).ToList();
        Assert.Equal([0, 1, 2, 3], groups.Select(g => g.Index));
        Assert.Equal(["100.96.0.0/16", "100.97.0.0/16", "100.98.0.0/16", "100.99.0.0/16"], groups.Select(g => g.Cidr.ToString()));
        var fifth = ipam.AddHost(Host(5)).Groups[0];
        Assert.Equal(0, fifth.Index);
        Assert.Equal(4, ipam.Plan().RoutesPerTable);
    }

    [Fact]
    public void AddHost_AfterRemovals_LeastLoadedGroupLowestIndexOnTie_ArrivalOrderKept()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        for (var n = 1; n <= 8; n++)
        {
            ipam.AddHost(Host(n));
        }

        ipam.RemoveHost(InstanceId(3));
        ipam.RemoveHost(InstanceId(7));
        Assert.Equal(2, ipam.AddHost(Host(9)).Groups[0].Index);
        ipam.RemoveHost(InstanceId(1));
        Assert.Equal(0, ipam.AddHost(Host(10)).Groups[0].Index);
        Assert.Equal(2, ipam.AddHost(Host(11)).Groups[0].Index);
        var groups = ipam.Plan().Networks[0].Zones[0].Groups;
        Assert.Equal([InstanceId(5), InstanceId(10)], groups[0].Hosts);
        Assert.Equal([InstanceId(9), InstanceId(11)], groups[2].Hosts);
        Assert.Equal(new[] { 2, 4, 5, 6, 8, 9, 10, 11 }.Select(InstanceId), ipam.Hosts.Select(h => h.InstanceId));
    }

    [Fact]
    public void AddHost_SameSpecTwice_IsIdempotent_DifferentSpecRefused()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var first = ipam.AddHost(Host(1));
        Assert.Equal(first.Groups, ipam.AddHost(Host(1)).Groups);
        var moved = Host(1) with { SubnetId = InstanceIdToSubnet(2) };
        var ex = Assert.Throws<IpamException>(() => ipam.AddHost(moved));
        Assert.Contains("already registered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHost_ReusedIpStillHeld_Refused()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        ipam.AddHost(Host(1));
        var ex = Assert.Throws<IpamException>(() => ipam.AddHost(Host(2) with { PrimaryIp = Host(1).PrimaryIp }));
        Assert.Contains($"which host {InstanceId(1)} still holds", ex.Message, StringComparison.Ordinal);
        ipam.RemoveHost(InstanceId(1));
        Assert.NotNull(ipam.AddHost(Host(2) with { PrimaryIp = Host(1).PrimaryIp }));
    }

    [Fact]
    public void AddHost_SubnetsBindLowestFreeSlot_ThenRunOut()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        Assert.Equal("100.96.0.0/16", ipam.AddHost(Host(1, subnet: 7)).Groups[0].Cidr.ToString());
        Assert.Equal("100.100.0.0/16", ipam.AddHost(Host(2, subnet: 3)).Groups[0].Cidr.ToString());
        var ex = Assert.Throws<IpamException>(() => ipam.AddHost(Host(3, subnet: 9)));
        Assert.Contains("no free subnet slot for subnet-00000000000000009", ex.Message, StringComparison.Ordinal);
        Assert.False(ipam.HasHost(InstanceId(3)));
    }

    [Fact]
    public void AddHost_UnknownZone_RefusedWithTheConfiguredList()
    {
        var ex = Assert.Throws<IpamException>(() => CoreIpam.Create(MakeTopology()).AddHost(Host(1, "eu-west-1a")));
        Assert.Contains("zone 'eu-west-1a' is not in the topology (zones: us-east-1a, us-east-1b, us-east-1c)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHost_DiscoveredZones_CarvedOnArrivalUpToMaxZones()
    {
        var ipam = CoreIpam.Create(MakeTopology(discoverZones: true, groupsPerSubnet: 2) with { MaxZones = 2 });
        Assert.Equal("100.96.0.0/14", ipam.AddHost(Host(1, "z-b", subnet: 1)).Groups[0].Cidr.ToString());
        Assert.Equal("100.112.0.0/14", ipam.AddHost(Host(2, "z-a", subnet: 2)).Groups[0].Cidr.ToString());
        var ex = Assert.Throws<IpamException>(() => ipam.AddHost(Host(3, "z-c", subnet: 3)));
        Assert.Contains("maxZones is 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHost_SubnetAlreadyInAnotherZone_RefusedNamingBothZones()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        ipam.AddHost(Host(1, "us-east-1a", subnet: 7));
        var ex = Assert.Throws<IpamException>(() => ipam.AddHost(Host(2, "us-east-1b", subnet: 7)));
        Assert.Contains("subnet-00000000000000007", ex.Message, StringComparison.Ordinal);
        Assert.Contains("zone 'us-east-1b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("zone 'us-east-1a'", ex.Message, StringComparison.Ordinal);
        Assert.False(ipam.HasHost(InstanceId(2)));
        Assert.All(ipam.Plan().Networks[0].Zones.Where(z => z.Name == "us-east-1b"), z => Assert.All(z.SubnetSlots, s => Assert.Null(s.Subnet)));
        ipam.RemoveHost(InstanceId(1));
        Assert.Equal("us-east-1b", ipam.AddHost(Host(2, "us-east-1b", subnet: 7)).Groups[0].Zone);
    }

    [Theory]
    [InlineData("i-123", "subnet-00000001", "instance id 'i-123'")]
    [InlineData("i-00000001", "subnet-1", "subnet id 'subnet-1'")]
    [InlineData("i-00000001", "Rack_1", "subnet id 'Rack_1'")]
    [InlineData("Node_1", "rack-1", "instance id 'Node_1'")]
    [InlineData("node-1.", "rack-1", "instance id 'node-1.'")]
    public void AddHost_MalformedIds_Refused(string instance, string subnet, string expected)
    {
        var ex = Assert.Throws<IpamException>(() => CoreIpam.Create(MakeTopology()).AddHost(Host(1) with { InstanceId = instance, SubnetId = subnet }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHost_NodeAndRackNames_AcceptedAndKeptThroughTheDocument()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var placed = ipam.AddHost(Host(1) with { InstanceId = "worker-1.dc1.example", SubnetId = "rack-1" });
        Assert.Equal("rack-1", placed.Groups[0].SubnetId);
        var again = CoreIpam.FromDocument(ipam.ToDocument(), "test");
        Assert.True(again.HasHost("worker-1.dc1.example"));
    }

    [Fact]
    public void RemoveHost_FreesBlocksAddressesAndSubnetSlot()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        ipam.AddHost(Host(1));
        for (var i = 0; i < 20; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), i % 2 == 0 ? "ns" : "other");
        }

        Assert.Equal(20, ipam.RemoveHost(InstanceId(1)));
        Assert.Equal(0, ipam.PodCount);
        var document = ipam.ToDocument();
        Assert.Empty(document.Blocks);
        Assert.Empty(document.Hosts);
        Assert.All(document.Networks[0].Zones, z => Assert.Empty(z.Subnets));
        Assert.Null(ipam.FindPod("ns/p0"));
        Assert.Throws<IpamException>(() => ipam.RemoveHost(InstanceId(1)));
    }

    private static string InstanceIdToSubnet(int n) => $"subnet-{n:x17}";
}
