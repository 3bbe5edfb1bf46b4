using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>A subnet slot of a zone, bound to one VPC subnet, split into equal groups.</summary>
internal sealed class SubnetAllocation
{
    private readonly SortedSet<GroupAllocation> _byLoad = new(LoadOrder.Instance);

    public SubnetAllocation(ZoneAllocation zone, int slot, string subnetId)
    {
        Zone = zone;
        Slot = slot;
        SubnetId = subnetId;
        Cidr = zone.SlotCidr(slot);
        var groupPrefix = TopologyLayout.GroupPrefix(zone.Network.Topology, Cidr.PrefixLength);
        Groups = Cidr.Split(groupPrefix).Select((c, i) => new GroupAllocation(this, i, c)).ToArray();
        foreach (var group in Groups)
        {
            _byLoad.Add(group);
        }
    }

    public ZoneAllocation Zone { get; }

    public int Slot { get; }

    public string SubnetId { get; }

    public Cidr Cidr { get; }

    public GroupAllocation[] Groups { get; }

    public bool IsEmpty => _byLoad.Max!.Hosts.Count == 0;

    /// <summary>The eligible group with the fewest hosts; the lowest index on a tie. O(log groups).</summary>
    public GroupAllocation LeastLoadedGroup() => _byLoad.Min!;

    /// <summary>Called by a group just before its host count changes: its place in the load order is about to move.</summary>
    public void LoadChanging(GroupAllocation group) => _byLoad.Remove(group);

    /// <summary>Called by a group just after its host count changed.</summary>
    public void LoadChanged(GroupAllocation group) => _byLoad.Add(group);

    /// <summary>Groups by (host count, index): the first is the least-loaded, lowest index on a tie.</summary>
    private sealed class LoadOrder : IComparer<GroupAllocation>
    {
        public static readonly LoadOrder Instance = new();

        public int Compare(GroupAllocation? x, GroupAllocation? y)
        {
            var byCount = x!.Hosts.Count.CompareTo(y!.Hosts.Count);
            return byCount != 0 ? byCount : x.Index.CompareTo(y.Index);
        }
    }
}
