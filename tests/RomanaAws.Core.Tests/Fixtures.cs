using System.Net;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;
using HostSpec = RomanaAws.Core.Ipam.HostSpec;

namespace RomanaAws.Core.Tests;

/// <summary>Topologies and hosts for tests, built in code (the YAML path has its own tests).</summary>
internal static class Fixtures
{
    public static readonly string[] ThreeZones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    public static TopologyConfig MakeTopology(
        string cidr = "100.96.0.0/11",
        int blockMask = 28,
        string[]? zones = null,
        int subnetsPerZone = 2,
        int groupsPerSubnet = 4,
        int routeLimit = 50,
        int routeHeadroom = 5,
        string[]? exclude = null,
        bool discoverZones = false) => new()
        {
            Cluster = "test.k8s.local",
            Networks = [new NetworkConfig { Name = "pods", Cidr = Cidr.Parse(cidr), BlockMask = blockMask, Exclude = (exclude ?? []).Select(Cidr.Parse).ToList() }],
            Zones = discoverZones ? null : (zones ?? ThreeZones).Select(z => new ZoneConfig { Name = z }).ToList(),
            SubnetsPerZone = subnetsPerZone,
            GroupsPerSubnet = groupsPerSubnet,
            RouteLimit = routeLimit,
            RouteHeadroom = routeHeadroom,
        };

    /// <summary>Host number <paramref name="n"/> in <paramref name="zone"/>, in subnet number <paramref name="subnet"/>.</summary>
    public static HostSpec Host(int n, string zone = "us-east-1a", int subnet = 1) =>
        new($"i-{n:x17}", zone, $"subnet-{subnet:x17}", new IPAddress([172, 20, (byte)(n / 250), (byte)((n % 250) + 1)]));

    public static string InstanceId(int n) => $"i-{n:x17}";

    public static CoreIpam WithHosts(TopologyConfig topology, int count, int subnetsPerZone = 1)
    {
        var ipam = CoreIpam.Create(topology);
        var zones = topology.Zones?.Select(z => z.Name).ToArray() ?? ThreeZones;
        for (var i = 0; i < count; i++)
        {
            var zone = i % zones.Length;
            ipam.AddHost(Host(i + 1, zones[zone], (zone * 16) + 1 + (i / zones.Length % subnetsPerZone)));
        }

        return ipam;
    }
}
