using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>A zone's aggregate in one network, split into subnet slots bound to VPC subnets on first use.</summary>
internal sealed class ZoneAllocation
{
    public ZoneAllocation(NetworkAllocation network, string name, Cidr cidr)
    {
        Network = network;
        Name = name;
        Cidr = cidr;
        Slots = new SubnetAllocation?[network.Topology.SubnetsPerZone];
    }

    public NetworkAllocation Network { get; }

    public string Name { get; }

    public Cidr Cidr { get; }

    public SubnetAllocation?[] Slots { get; }

    public Cidr SlotCidr(int slot) =>
        Cidr.Child(TopologyLayout.SubnetPrefix(Network.Topology, Cidr.PrefixLength), (UInt128)slot);

    public SubnetAllocation? Find(string subnetId) => Slots.FirstOrDefault(s => s?.SubnetId == subnetId);

    /// <summary>The subnet's slot, binding the lowest free slot on first use.</summary>
    public SubnetAllocation Bind(string subnetId)
    {
        if (Find(subnetId) is { } existing)
        {
            return existing;
        }

        var free = Array.IndexOf(Slots, null);
        if (free < 0)
        {
            throw new IpamException(
                $"network '{Network.Config.Name}' zone '{Name}' ({Cidr}) has no free subnet slot for {subnetId}: all {Slots.Length} are bound to " +
                $"{string.Join(", ", Slots.Select(s => s!.SubnetId))}; remove the hosts of a subnet no longer used, or plan more subnetsPerZone for a new cluster");
        }

        var subnet = new SubnetAllocation(this, free, subnetId);
        Slots[free] = subnet;
        return subnet;
    }
}
