using System.Net;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Tests.Topology;

public sealed class RoutingReaderTests
{
    private const string Head = """
        cluster: dc.example
        networks:
          - name: pods
            cidr: 100.96.0.0/16
        zones: [dc1, dc2]
        subnetsPerZone: 2
        """;

    private const string Valid = Head + """

        routing:
          mode: bgp
          asn: 64512
          racks:
            - name: rack-1
              cidr: 10.1.0.0/24
              peers:
                - { address: 10.1.0.1, asn: 65001, passwordFile: /etc/romana-aws/bgp/rack-1, bfd: true }
                - { address: 10.1.0.2, asn: 65001 }
            - name: rack-2
              cidr: 10.2.0.0/24
              zone: dc2
              peers: [{ address: 10.2.0.1, asn: 4200000001 }]
          hosts:
            - { name: node-1, ip: 10.1.0.11 }
            - { name: node-2.dc2, ip: 10.2.0.12 }
        """;

    private static ConfigException Invalid(string routing) =>
        Assert.Throws<ConfigException>(() => TopologyReader.Parse(Head + "\nrouting:\n" + routing, "topology.yaml"));

    private static ConfigError Single(ConfigException ex, string path) => Assert.Single(ex.Errors, e => e.Path == path);

    [Fact]
    public void Parse_NoRoutingSection_IsVpc()
    {
        var config = TopologyReader.Parse(Head, "topology.yaml");
        Assert.Equal(RoutingMode.Vpc, config.Routing.Mode);
        Assert.Empty(config.Routing.Racks);
    }

    [Fact]
    public void Parse_BgpMode_BindsRacksPeersHostsAndDefaults()
    {
        var routing = TopologyReader.Parse(Valid, "topology.yaml").Routing;
        Assert.Equal(RoutingMode.Bgp, routing.Mode);
        Assert.Equal(64512, routing.Asn);
        Assert.Equal((9, 3, false, 120), (routing.HoldSeconds, routing.KeepaliveSeconds, routing.GracefulRestart, routing.RestartSeconds));
        Assert.Equal((100, 3, false, false), (routing.BfdIntervalMs, routing.BfdMultiplier, routing.AdvertiseBlocks, routing.ImportRoutes));
        Assert.Equal(["rack-1", "rack-2"], routing.Racks.Select(r => r.Name));
        Assert.Equal(["dc1", "dc2"], routing.Racks.Select(r => r.Zone));
        Assert.Equal(new BgpPeerConfig(IPAddress.Parse("10.1.0.1"), 65001, "/etc/romana-aws/bgp/rack-1", true), routing.Racks[0].Peers[0]);
        Assert.Equal(4200000001, routing.Racks[1].Peers[0].Asn);
        Assert.Equal(
            [new HostSpec("node-1", "dc1", "rack-1", IPAddress.Parse("10.1.0.11")), new HostSpec("node-2.dc2", "dc2", "rack-2", IPAddress.Parse("10.2.0.12"))],
            RackHosts.Specs(routing));
    }

    [Theory]
    [InlineData("  mode: ospf2", "routing.mode", "must be vpc")]
    [InlineData("  mode: bgp\n  racks: []", "routing.asn", "is required with mode: bgp")]
    [InlineData("  mode: bgp\n  asn: 23456\n  racks: []", "routing.asn", "AS_TRANS")]
    [InlineData("  mode: bgp\n  asn: 4294967296\n  racks: []", "routing.asn", "must be from 1 to 4294967295")]
    [InlineData("  mode: bgp\n  asn: 64512\n  holdSeconds: 2\n  racks: []", "routing.holdSeconds", "must be from 3 to 65535")]
    [InlineData("  mode: bgp\n  asn: 64512\n  gracefulRestart: yes\n  racks: []", "routing.gracefulRestart", "expected true or false")]
    [InlineData("  mode: bgp\n  asn: 64512", "routing.racks", "is required")]
    [InlineData("  mode: bgp\n  asn: 64512\n  racks: []", "routing.racks", "needs at least one rack")]
    [InlineData("  mode: vpc\n  asn: 64512", "routing.asn", "applies only with mode: bgp")]
    [InlineData("  mode: bgp\n  asn: 64512\n  holdSecond: 9\n  racks: []", "routing.holdSecond", "did you mean 'holdSeconds'")]
    public void Parse_BadRoutingSetting_NamesTheKey(string routing, string path, string message)
    {
        var error = Single(Invalid(routing), path);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ name: Rack_1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001 }] }", "routing.racks[0].name", "must be a DNS label")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.7/24, peers: [{ address: 10.1.0.1, asn: 65001 }] }", "routing.racks[0].cidr", "host bits")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, zone: dc9, peers: [{ address: 10.1.0.1, asn: 65001 }] }", "routing.racks[0].zone", "is not one of the topology's zones (dc1, dc2)")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [] }", "routing.racks[0].peers", "needs at least one router")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.9.0.1, asn: 65001 }] }", "routing.racks[0].peers[0].address", "is outside the rack's cidr 10.1.0.0/24")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: router-1, asn: 65001 }] }", "routing.racks[0].peers[0].address", "must be the router's IPv4 or IPv6 address")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1 }] }", "routing.racks[0].peers[0].asn", "is required: the router's AS number")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001, passwordFile: secret.txt }] }", "routing.racks[0].peers[0].passwordFile", "must be an absolute path")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001, bfd: on }] }", "routing.racks[0].peers[0].bfd", "expected true or false")]
    [InlineData("{ name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001, md5: x }] }", "routing.racks[0].peers[0].md5", "unknown key")]
    public void Parse_BadRack_NamesTheKey(string rack, string path, string message)
    {
        var error = Single(Invalid($"  mode: bgp\n  asn: 64512\n  racks:\n    - {rack}"), path);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ name: Node_1, ip: 10.1.0.11 }", "routing.hosts[0].name", "must be the Kubernetes node name")]
    [InlineData("{ name: node-1, ip: 10.7.0.11 }", "routing.hosts[0].ip", "is in no rack's cidr (rack-1 10.1.0.0/24)")]
    [InlineData("{ name: node-1, ip: 10.1.0.1 }", "routing.hosts[0].ip", "is a router's address")]
    public void Parse_BadHost_NamesTheKey(string host, string path, string message)
    {
        var error = Single(Invalid($"  mode: bgp\n  asn: 64512\n  racks:\n    - {{ name: rack-1, cidr: 10.1.0.0/24, peers: [{{ address: 10.1.0.1, asn: 65001 }}] }}\n  hosts:\n    - {host}"), path);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Conflicts_NameTheEarlierEntry()
    {
        var ex = Invalid("""
              mode: bgp
              asn: 64512
              racks:
                - { name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001 }, { address: 10.1.0.1, asn: 65001 }] }
                - { name: rack-1, cidr: 10.1.0.0/25, peers: [{ address: 10.1.0.2, asn: 65001 }] }
                - { name: rack-3, cidr: 10.3.0.0/24, peers: [{ address: 10.3.0.1, asn: 65001 }] }
              hosts:
                - { name: node-1, ip: 10.1.0.11 }
                - { name: node-1, ip: 10.1.0.12 }
                - { name: node-3, ip: 10.1.0.11 }
            """);
        Assert.Contains("is listed twice in this rack", Single(ex, "routing.racks[0].peers[1].address").Message, StringComparison.Ordinal);
        Assert.Contains("is already the name of routing.racks[0]", Single(ex, "routing.racks[1].name").Message, StringComparison.Ordinal);
        Assert.Contains("is already listed at routing.hosts[0]", Single(ex, "routing.hosts[1].name").Message, StringComparison.Ordinal);
        Assert.Contains("is already the address of routing.hosts[0]", Single(ex, "routing.hosts[2].ip").Message, StringComparison.Ordinal);
        Assert.Contains("zone 'dc1' has 3 racks but subnetsPerZone is 2", Single(ex, "routing.racks").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OspfMode_AreasDefaultToTheRacksPositionAndTimersToOneAndFour()
    {
        var routing = TopologyReader.Parse(Head + """

            routing:
              mode: ospf
              racks:
                - { name: rack-1, cidr: 10.1.0.0/24 }
                - { name: rack-2, cidr: 10.2.0.0/24, zone: dc2 }
                - { name: rack-3, cidr: 10.3.0.0/24, zone: dc2, area: 7 }
            """, "topology.yaml").Routing;
        Assert.Equal(RoutingMode.Ospf, routing.Mode);
        Assert.True(routing.Advertised);
        Assert.Equal(["0.0.0.1", "0.0.0.2", "0.0.0.7"], routing.Racks.Select(r => r.Area));
        Assert.Equal((1, 4, false), (routing.HelloSeconds, routing.DeadSeconds, routing.Bfd));
        Assert.All(routing.Racks, r => Assert.Empty(r.Peers));
    }

    [Theory]
    [InlineData("  mode: ospf\n  asn: 64512\n  racks: []", "routing.asn", "applies only with mode: bgp")]
    [InlineData("  mode: ospf\n  holdSeconds: 9\n  racks: []", "routing.holdSeconds", "applies only with mode: bgp")]
    [InlineData("  mode: bgp\n  asn: 64512\n  bfd: true\n  racks: []", "routing.bfd", "with bgp, BFD is set per peer")]
    [InlineData("  mode: ospf\n  helloSeconds: 4\n  deadSeconds: 4\n  racks: []", "routing.deadSeconds", "must be more than helloSeconds (4)")]
    [InlineData("  mode: ospf\n  racks:\n    - { name: rack-1, cidr: 10.1.0.0/24, area: 1.2.3 }", "routing.racks[0].area", "must be an OSPF area id")]
    [InlineData("  mode: ospf\n  racks:\n    - { name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 1 }] }", "routing.racks[0].peers", "found on the segment by their hellos")]
    [InlineData("  mode: bgp\n  asn: 64512\n  racks:\n    - { name: rack-1, cidr: 10.1.0.0/24, area: 1, peers: [{ address: 10.1.0.1, asn: 1 }] }", "routing.racks[0].area", "applies only with mode: ospf")]
    public void Parse_OspfOrBgpOnlyKeyInTheOtherMode_NamesTheKey(string routing, string path, string message)
    {
        var error = Single(Invalid(routing), path);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BgpWithAnIpv6Network_IsRefusedNamingTheNetwork()
    {
        var ex = Assert.Throws<ConfigException>(() => TopologyReader.Parse(Valid.Replace("100.96.0.0/16", "fd00:96::/48", StringComparison.Ordinal), "topology.yaml"));
        Assert.Contains("advertises IPv4 pod networks only", Single(ex, "networks[0].cidr").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RackWithoutZoneAndNoListedZones_NeedsAZone()
    {
        var text = Valid.Replace("zones: [dc1, dc2]\n", string.Empty, StringComparison.Ordinal);
        var ex = Assert.Throws<ConfigException>(() => TopologyReader.Parse(text, "topology.yaml"));
        Assert.Contains("is required when the topology lists no zones", Single(ex, "routing.racks[0].zone").Message, StringComparison.Ordinal);
    }
}
