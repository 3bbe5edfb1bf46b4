using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>A subnet slot of a zone, bound to one VPC subnet, split into equal groups.</summary>
internal sealed class SubnetAllocation
{
    public SubnetAllocation(ZoneAllocation zone, int slot, string subnetId)
    {
        Zone = zone;
        Slot = slot;
        SubnetId = subnetId;
        Cidr = zone.SlotCidr(slot);
        var groupPrefix = TopologyLayout.GroupPrefix(zone.Network.Topology, Cidr.PrefixLength);
        Groups = Cidr.Split(groupPrefix).Select((c, i) => new GroupAllocation(this, i, c)).ToArray();
    }

    public ZoneAllocation Zone { get; }

    public int Slot { get; }

    public string SubnetId { get; }

    public Cidr Cidr { get; }

    public GroupAllocation[] Groups { get; }

    public bool IsEmpty => Groups.All(g => g.Hosts.Count == 0);

    /// <summary>The eligible group with the fewest hosts; the lowest index on a tie.</summary>
    public GroupAllocation LeastLoadedGroup()
    {
        var best = Groups[0];
        foreach (var group in Groups)
        {
            if (group.Hosts.Count < best.Hosts.Count)
            {
                best = group;
            }
        }

        return best;
    }
}
