using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Routing;

public sealed class AdvertisementsTests
{
    private const string Topology = """
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
          asn: 64512
          holdSeconds: 6
          racks:
            - name: rack-1
              cidr: 10.1.0.0/24
              peers: [{ address: 10.1.0.1, asn: 65001, bfd: true }, { address: 10.1.0.2, asn: 65001, passwordFile: /etc/bgp.pw }]
            - name: rack-2
              cidr: 10.2.0.0/24
              peers: [{ address: 10.2.0.1, asn: 65002 }]
          hosts:
            - { name: node-1, ip: 10.1.0.11 }
            - { name: node-2, ip: 10.1.0.12 }
            - { name: node-3, ip: 10.1.0.13 }
            - { name: node-4, ip: 10.2.0.14 }
        """;

    private static (CoreIpam Ipam, TopologyConfig Topology) Cluster(string? routingChange = null)
    {
        var topology = TopologyReader.Parse(routingChange is null ? Topology : Topology.Replace("  holdSeconds: 6", routingChange, StringComparison.Ordinal), "t.yaml");
        var ipam = CoreIpam.Create(topology);
        foreach (var host in RackHosts.Specs(topology.Routing))
        {
            ipam.AddHost(host);
        }

        return (ipam, topology);
    }

    [Fact]
    public void For_EachNode_AdvertisesItsGroupAggregateOnlyToItsRacksRouters()
    {
        var (ipam, topology) = Cluster();
        for (var n = 1; n <= 4; n++)
        {
            ipam.ClaimBlock($"node-{n}", "default");
            ipam.ClaimBlock($"node-{n}", "shop");
        }

        var index = new AgentStateIndex(ipam.ToDocument(), topology.Routing);
        var one = index.For("node-1")!.Bgp!;
        var three = index.For("node-3")!.Bgp!;
        var four = index.For("node-4")!.Bgp!;

        // node-1 and node-3 share a group: the same one prefix, the group's, never their blocks.
        Assert.Equal(index.For("node-1")!.Groups, one.Prefixes);
        Assert.Equal(one.Prefixes, three.Prefixes);
        Assert.Single(one.Prefixes);
        Assert.DoesNotContain(one.Prefixes, p => p.PrefixLength == 26);
        Assert.Equal(("rack-1", 64512L, "10.1.0.11", 6, 2), (one.Rack, one.LocalAsn, one.RouterId, one.HoldSeconds, one.KeepaliveSeconds));
        Assert.Equal([new BgpNeighbor("10.1.0.1", 65001, null, true), new BgpNeighbor("10.1.0.2", 65001, "/etc/bgp.pw", false)], one.Neighbors);
        Assert.Equal([new BgpNeighbor("10.2.0.1", 65002, null, false)], four.Neighbors);

        // Four hosts, three non-empty groups: three distinct prefixes across the cluster.
        Assert.Equal(3, Enumerable.Range(1, 4).SelectMany(n => index.For($"node-{n}")!.Bgp!.Prefixes).Distinct().Count());
    }

    [Fact]
    public void For_AdvertiseBlocks_AddsTheNodesOwnBlocksBesideTheGroup()
    {
        var (ipam, topology) = Cluster("  advertiseBlocks: true");
        var block = ipam.ClaimBlock("node-1", "default").Cidr;
        var bgp = new AgentStateIndex(ipam.ToDocument(), topology.Routing).For("node-1")!.Bgp!;
        Assert.Equal([.. new AgentStateIndex(ipam.ToDocument(), topology.Routing).For("node-1")!.Groups, block], bgp.Prefixes);
    }

    [Fact]
    public void For_OspfMode_TheSameOnePrefixPerGroupInTheRacksAreaOnItsSegment()
    {
        var topology = TopologyReader.Parse(Topology[..Topology.IndexOf("routing:", StringComparison.Ordinal)] + """
            routing:
              mode: ospf
              deadSeconds: 3
              racks:
                - { name: rack-1, cidr: 10.1.0.0/24 }
                - { name: rack-2, cidr: 10.2.0.0/24, area: 0.0.0.9 }
              hosts:
                - { name: node-1, ip: 10.1.0.11 }
                - { name: node-4, ip: 10.2.0.14 }
            """, "t.yaml");
        var ipam = CoreIpam.Create(topology);
        foreach (var host in RackHosts.Specs(topology.Routing))
        {
            ipam.AddHost(host);
        }

        ipam.ClaimBlock("node-4", "default");
        var index = new AgentStateIndex(ipam.ToDocument(), topology.Routing);
        var four = index.For("node-4")!;
        Assert.Null(four.Bgp);
        var ospf = four.Ospf!;
        Assert.Equal(("rack-2", "0.0.0.9", "10.2.0.0/24", "10.2.0.14", 1, 3), (ospf.Rack, ospf.Area, ospf.Segment.ToString(), ospf.RouterId, ospf.HelloSeconds, ospf.DeadSeconds));
        Assert.Equal(four.Groups, ospf.Prefixes);
        Assert.Equal("0.0.0.1", index.For("node-1")!.Ospf!.Area);
    }

    [Fact]
    public void For_VpcModeOrHostInNoRack_NoAdvertisement()
    {
        var (ipam, topology) = Cluster();
        Assert.Null(new AgentStateIndex(ipam.ToDocument(), RoutingConfig.Vpc).For("node-1")!.Bgp);
        Assert.Null(Advertisements.Bgp(topology.Routing, "rack-9", "10.9.0.1", [Cidr.Parse("100.96.0.0/20")], []));
    }
}
