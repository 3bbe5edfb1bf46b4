using FsCheck.Xunit;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

/// <summary>
/// Random sequences of host arrivals and departures, allocations and releases (generated and shrunk by FsCheck)
/// against a small topology that runs into slot limits, exhaustion and overflow ranges. After every step all
/// invariants hold, and nothing already allocated ever moves.
/// </summary>
public sealed class IpamPropertyTests
{
    private static readonly string[] Owners = ["default", "kube-system", "team-a/frontend"];

    [Property(MaxTest = 150)]
    public void RandomOperations_KeepInvariants_AndNeverMoveAllocations(int[] operations)
    {
        // /20 in three /22 zones (one /22 spare), two subnet slots per zone, two /24 groups per slot: 16 blocks per group.
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 2, groupsPerSubnet: 2, exclude: ["10.0.4.32/27"]));
        var addresses = new Dictionary<string, PodAddress>();
        var groups = new Dictionary<string, string>();
        var nextHost = 1;
        var nextPod = 0;
        foreach (var raw in operations)
        {
            var x = raw & int.MaxValue;
            var (kind, a, b) = (x % 5, x / 5 % 97, x / 485 % 89);
            var hosts = ipam.Hosts;
            switch (kind)
            {
                case 0:
                    var zone = ThreeZones[a % 3];
                    var host = Host(nextHost++, zone, (a % 3 * 10) + (b % 3));
                    try
                    {
                        groups[host.InstanceId] = ipam.AddHost(host).Groups[0].Cidr.ToString();
                    }
                    catch (IpamException ex) when (ex.Message.Contains("no free subnet slot", StringComparison.Ordinal))
                    {
                        Assert.False(ipam.HasHost(host.InstanceId));
                    }

                    break;
                case 1 when hosts.Count > 0:
                    var removed = hosts[a % hosts.Count].InstanceId;
                    ipam.RemoveHost(removed);
                    groups.Remove(removed);
                    foreach (var gone in addresses.Keys.Where(k => ipam.FindPod(k) is null).ToList())
                    {
                        addresses.Remove(gone);
                    }

                    break;
                case 2 or 3 when hosts.Count > 0:
                    var pod = $"p/{nextPod++}";
                    try
                    {
                        addresses[pod] = ipam.Allocate(pod, hosts[a % hosts.Count].InstanceId, Owners[b % Owners.Length]);
                    }
                    catch (IpamExhaustedException)
                    {
                        Assert.Null(ipam.FindPod(pod));
                    }

                    break;
                case 4 when addresses.Count > 0:
                    var release = addresses.Keys.ElementAt(a % addresses.Count);
                    var before = addresses[release];
                    var blockStillUsed = addresses.Values.Any(p => p.Block == before.Block && p.PodKey != release);
                    Assert.True(ipam.Release(release));
                    Assert.False(ipam.Release(release));
                    addresses.Remove(release);
                    // Release then allocate reuses: lowest first, so the freed address is taken unless a lower one is free.
                    var again = ipam.Allocate(release, before.InstanceId, before.Owner);
                    if (blockStillUsed)
                    {
                        Assert.True(Cidr.ToNumber(again.Address) <= Cidr.ToNumber(before.Address), $"{again.Address} after releasing {before.Address}");
                    }

                    addresses[release] = again;
                    break;
            }

            foreach (var (key, address) in addresses)
            {
                Assert.Equal(address, ipam.FindPod(key));
            }

            foreach (var (instance, group) in groups)
            {
                Assert.Equal(group, ipam.FindHost(instance)!.Groups[0].Cidr.ToString());
            }
        }

        IpamInvariants.Check(ipam);
    }

    [Property(MaxTest = 40)]
    public void Growth_AddZoneOrHosts_NeverMovesAnything(byte hostCount, byte podCount)
    {
        var ipam = WithHosts(MakeTopology(zones: ["us-east-1a", "us-east-1b"], subnetsPerZone: 2), Math.Max(1, hostCount % 40), subnetsPerZone: 2);
        var hosts = ipam.Hosts;
        var pods = Enumerable.Range(0, podCount)
            .Select(i => ipam.Allocate($"ns/p{i}", hosts[i % hosts.Count].InstanceId, i % 2 == 0 ? "a" : "b"))
            .ToDictionary(p => p.PodKey, p => p.Address);
        var placements = hosts.ToDictionary(h => h.InstanceId, h => ipam.FindHost(h.InstanceId)!.Groups[0]);

        var grown = ipam.ApplyTopology(MakeTopology(zones: ["us-east-1a", "us-east-1b", "us-east-1c"], subnetsPerZone: 2), out _);
        for (var i = 0; i < 10; i++)
        {
            grown.AddHost(Host(1000 + i, ThreeZones[i % 3], (i % 3 * 16) + 1));
        }

        foreach (var (key, address) in pods)
        {
            Assert.Equal(address, grown.FindPod(key)!.Value.Address);
        }

        foreach (var (instance, group) in placements)
        {
            Assert.Equal(group, grown.FindHost(instance)!.Groups[0]);
        }

        IpamInvariants.Check(grown);
    }
}
