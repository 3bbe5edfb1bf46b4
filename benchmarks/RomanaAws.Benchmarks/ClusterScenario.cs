using System.Net;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Benchmarks;

/// <summary>
/// The benchmark cluster: 5,000 hosts over 3 zones (2 subnets each), 150,000 pods over 20 namespaces; each host runs
/// 30 pods of 5 namespaces (6 each), so every host holds 5 blocks: owners fragment blocks the way real clusters do.
/// </summary>
public static class ClusterScenario
{
    public const int HostCount = 5_000;
    public const int PodCount = 150_000;
    public const int Namespaces = 20;

    public static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    public static TopologyConfig Topology { get; } = new()
    {
        Cluster = "bench.k8s.local",
        Networks = [new NetworkConfig { Name = "pods", Cidr = Cidr.Parse("100.96.0.0/11"), BlockMask = 28 }],
        Zones = Zones.Select(z => new ZoneConfig { Name = z }).ToList(),
        SubnetsPerZone = 2,
        GroupsPerSubnet = 4,
    };

    public static HostSpec[] Hosts { get; } = Enumerable.Range(0, HostCount).Select(Host).ToArray();

    public static string[] PodKeys { get; } = Enumerable.Range(0, PodCount).Select(i => $"ns-{OwnerOf(i)}/pod-{i}").ToArray();

    public static string[] Owners { get; } = Enumerable.Range(0, Namespaces).Select(i => $"ns-{i}").ToArray();

    public static HostSpec Host(int i)
    {
        var zone = i % Zones.Length;
        var subnet = (zone * 2) + (i / Zones.Length % 2);
        return new HostSpec($"i-{i + 1:x17}", Zones[zone], $"subnet-{subnet + 1:x17}", new IPAddress([172, (byte)(16 + subnet), (byte)(i / 250), (byte)((i % 250) + 1)]));
    }

    public static Ipam PlaceHosts()
    {
        var ipam = Ipam.Create(Topology);
        foreach (var host in Hosts)
        {
            ipam.AddHost(host);
        }

        return ipam;
    }

    /// <summary>Pod i runs on host h = i mod 5,000, round r = i / 5,000, in namespace (h + r mod 5) mod 20.</summary>
    public static void AllocateAll(Ipam ipam)
    {
        var keys = PodKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            ipam.Allocate(keys[i], Hosts[i % HostCount].InstanceId, Owners[OwnerOf(i)]);
        }
    }

    public static int OwnerOf(int pod) => ((pod % HostCount) + (pod / HostCount % 5)) % Namespaces;

    public static void ReleaseAll(Ipam ipam)
    {
        foreach (var key in PodKeys)
        {
            ipam.Release(key);
        }
    }
}
