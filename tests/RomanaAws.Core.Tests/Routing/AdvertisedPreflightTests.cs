using System.Net;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Tests.Routing;

public sealed class AdvertisedPreflightTests
{
    private static readonly RoutingConfig Ospf = TopologyReader.Parse("""
        cluster: dc.example
        networks: [{ name: pods, cidr: 100.96.0.0/16 }]
        zones: [dc1]
        routing:
          mode: ospf
          racks: [{ name: rack-1, cidr: 10.1.0.0/24 }]
          hosts: [{ name: node-1, ip: 10.1.0.11 }, { name: node-2, ip: 10.1.0.12 }]
        """, "t.yaml").Routing;

    [Fact]
    public void Evaluate_Ospf_AHostNeedsOneFullAdjacency_NoRouterIsTriedOnTcp179()
    {
        var hosts = RackHosts.Specs(Ospf);
        var reports = new Dictionary<string, HostAdvertising>
        {
            ["node-1"] = new("node-1", "10.1.0.11", null, [new RouterLink("10.1.0.1", "up Full/DR", true), new RouterLink("10.1.0.12", "up 2-Way/Other", false)], ["100.96.0.0/20"]),
            ["node-2"] = new("node-2", "10.1.0.12", null, [new RouterLink("10.1.0.11", "up 2-Way/Other", false)], []),
        };
        var checks = AdvertisedPreflight.Evaluate(Ospf, hosts, reports, new Dictionary<IPAddress, string?>());
        Assert.Equal(2, checks.Count);
        Assert.True(checks[0].Ok, checks[0].Detail);
        Assert.Equal("OSPF Full with 10.1.0.1", checks[0].Detail);
        Assert.False(checks[1].Ok);
        Assert.Contains("area 0.0.0.1, with hello 1 s and dead 4 s", checks[1].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Routes_AHostWhoseBirdLagsIsNotInSync()
    {
        var ipam = RomanaAws.Core.Ipam.Ipam.Create(TopologyReader.Parse("""
            cluster: dc.example
            networks: [{ name: pods, cidr: 100.96.0.0/16 }]
            zones: [dc1]
            routing:
              mode: ospf
              racks: [{ name: rack-1, cidr: 10.1.0.0/24 }]
            """, "t.yaml"));
        ipam.AddHost(new HostSpec("node-1", "dc1", "rack-1", IPAddress.Parse("10.1.0.11")));
        var prefix = ipam.Plan().Routes.Single().Destination.ToString();
        var up = new RouterLink("10.1.0.1", "up Full/DR", true);
        var good = AdvertisedRoutes.Build(ipam.Plan(), new Dictionary<string, HostAdvertising> { ["node-1"] = new("node-1", "10.1.0.11", null, [up], [prefix]) });
        Assert.True(Assert.Single(good).InSync);
        var lagging = AdvertisedRoutes.Build(ipam.Plan(), new Dictionary<string, HostAdvertising> { ["node-1"] = new("node-1", "10.1.0.11", null, [up], []) });
        var host = Assert.Single(Assert.Single(lagging).Hosts);
        Assert.False(host.Exporting);
        Assert.StartsWith("not exported", host.Status, StringComparison.Ordinal);
    }
}
