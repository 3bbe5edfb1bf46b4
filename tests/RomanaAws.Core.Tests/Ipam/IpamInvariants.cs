using System.Text;
using RomanaAws.Core.Persistence;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

/// <summary>Checks every structural invariant of an IPAM from the outside (its document and its plan).</summary>
internal static class IpamInvariants
{
    public static void Check(CoreIpam ipam)
    {
        var document = ipam.ToDocument();
        var plan = ipam.Plan();
        var network = ipam.Topology.Networks[0];

        // No two blocks overlap.
        var blocks = document.Blocks.OrderBy(b => b.Cidr).ToList();
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.False(blocks[i - 1].Cidr.Overlaps(blocks[i].Cidr), $"{blocks[i - 1].Cidr} overlaps {blocks[i].Cidr}");
        }

        // Aggregates in the network, disjoint; groups in their zone; overflow in the network.
        var zones = plan.Networks[0].Zones;
        Assert.All(zones, z => Assert.True(network.Cidr.Contains(z.Cidr)));
        Assert.All(zones, z => Assert.All(zones.Where(o => o != z), o => Assert.False(o.Cidr.Overlaps(z.Cidr))));
        foreach (var zone in zones)
        {
            Assert.All(zone.Groups, g => Assert.True(zone.Cidr.Contains(g.Cidr), $"group {g.Cidr} outside zone {zone.Cidr}"));
            Assert.All(zone.Groups.SelectMany(g => g.Overflow), o => Assert.True(network.Cidr.Contains(o) && zones.All(z => !z.Cidr.Overlaps(o))));
        }

        // Every block in its host's group (own range or overflow), none touching an excluded range.
        var groups = zones.SelectMany(z => z.Groups).ToList();
        foreach (var block in document.Blocks)
        {
            var groupRef = ipam.FindHost(block.Host)!.Groups[0];
            var group = groups.Single(g => g.Cidr == groupRef.Cidr);
            Assert.True(group.Cidr.Contains(block.Cidr) || group.Overflow.Any(o => o.Contains(block.Cidr)), $"block {block.Cidr} outside group {group.Cidr}");
            Assert.DoesNotContain(network.Exclude, e => e.Overlaps(block.Cidr));
            if (block.Pods.Count > 0)
            {
                Assert.Contains(block.Pods, p => p is not null);
                Assert.Null(block.Used);
            }
            else
            {
                Assert.InRange(block.Used ?? 0, 0, (int)block.Cidr.AddressCount);
            }
        }

        // Pods: each key once, each address inside its block.
        Assert.Equal(ipam.PodCount, document.Blocks.Sum(b => b.Pods.Count(p => p is not null)));
        foreach (var block in document.Blocks)
        {
            for (var offset = 0; offset < block.Pods.Count; offset++)
            {
                if (block.Pods[offset] is { } key)
                {
                    var pod = ipam.FindPod(key)!.Value;
                    Assert.Equal(block.Cidr.AddressAt((UInt128)offset), pod.Address);
                }
            }
        }

        // The plan never exceeds the budget it claims; routes are exactly the non-empty groups and their overflow.
        Assert.True(plan.RoutesPerTable <= plan.MaxRoutesPerTable && plan.MaxRoutesPerTable <= plan.RouteBudget, $"{plan.RoutesPerTable} ≤ {plan.MaxRoutesPerTable} ≤ {plan.RouteBudget}");
        Assert.Equal(groups.Where(g => g.Hosts.Count > 0).Sum(g => 1 + g.Overflow.Count), plan.RoutesPerTable);

        // Save → load round-trips exactly.
        var bytes = IpamStateSerializer.Serialize(document);
        var reloaded = CoreIpam.FromDocument(IpamStateSerializer.Deserialize(bytes, "memory"), "memory");
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(IpamStateSerializer.Serialize(reloaded.ToDocument())));
    }
}
