using System.Net;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Tests.Routing;

public sealed class RackInstancesTests
{
    private static readonly RoutingConfig Routing = TopologyReader.Parse("""
        cluster: dc.example
        networks: [{ name: pods, cidr: 100.96.0.0/16 }]
        zones: [dc1, dc2]
        routing:
          mode: bgp
          asn: 64512
          racks:
            - { name: rack-1, cidr: 10.1.0.0/24, peers: [{ address: 10.1.0.1, asn: 65001 }] }
            - { name: rack-2, cidr: 10.2.0.0/24, zone: dc2, peers: [{ address: 10.2.0.1, asn: 65001 }] }
          hosts: [{ name: node-1, ip: 10.1.0.11 }]
        """, "t.yaml").Routing;

    [Fact]
    public void Of_ConfiguredHostsAndNodesInARack_RunningWithNoVpcOrEni_ConfigurationWins()
    {
        var nodes = new[]
        {
            new NamedHost("worker-2", IPAddress.Parse("10.2.0.12")),
            new NamedHost("node-1", IPAddress.Parse("10.1.0.99")),      // listed in the configuration: its address wins
            new NamedHost("imposter", IPAddress.Parse("10.1.0.11")),    // node-1's address
            new NamedHost("outside", IPAddress.Parse("192.168.1.5")),   // in no rack
            new NamedHost("Bad_Name", IPAddress.Parse("10.2.0.13")),    // not a host id
        };
        var instances = RackInstances.Of(Routing, nodes);
        Assert.Equal(
            [("node-1", "dc1", "rack-1", "10.1.0.11"), ("worker-2", "dc2", "rack-2", "10.2.0.12")],
            instances.Select(i => (i.InstanceId, i.Zone, i.SubnetId, i.PrivateIp.ToString())));
        Assert.All(instances, i => Assert.Equal((InstanceLifecycle.Running, string.Empty, string.Empty, false), (i.State, i.VpcId, i.PrimaryNetworkInterfaceId, i.SourceDestCheck)));
        var view = RackInstances.View(Routing, DateTimeOffset.UnixEpoch, nodes);
        Assert.Null(view.VpcId);
        Assert.Empty(view.Managed);
        Assert.Empty(view.Problems);
    }
}
