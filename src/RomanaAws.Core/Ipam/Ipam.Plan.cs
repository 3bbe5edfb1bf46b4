namespace RomanaAws.Core.Ipam;

public sealed partial class Ipam
{
    /// <summary>The carving, its utilisation and the routes it needs now (one per non-empty group and overflow range).</summary>
    public IpamPlan Plan()
    {
        var podsPerGroup = new Dictionary<GroupAllocation, long>();
        foreach (var block in _hostOrder.SelectMany(h => h.AllBlocks))
        {
            podsPerGroup[block.Group] = podsPerGroup.GetValueOrDefault(block.Group) + block.Used;
        }

        var networks = new List<NetworkPlan>();
        var routes = new List<RouteDestination>();
        foreach (var network in _networks)
        {
            var blockSize = 1L << (network.Config.Cidr.Width - network.Config.BlockMask);
            var zones = new List<ZonePlan>();
            foreach (var zone in network.Zones.OrderBy(z => z.Cidr))
            {
                var groups = new List<GroupPlan>();
                var slots = new List<SubnetSlotPlan>();
                for (var slot = 0; slot < zone.Slots.Length; slot++)
                {
                    var subnet = zone.Slots[slot];
                    slots.Add(new SubnetSlotPlan(slot, zone.SlotCidr(slot), subnet?.SubnetId));
                    foreach (var group in subnet?.Groups ?? [])
                    {
                        var hosts = group.Hosts.Select(h => h.InstanceId).ToList();
                        groups.Add(new GroupPlan(
                            group.Cidr, subnet!.SubnetId, group.Index, hosts, group.Overflow.ToList(),
                            group.AllocatedBlocks, group.ExcludedBlocks, group.BlockCount,
                            podsPerGroup.GetValueOrDefault(group), (long)(group.BlockCount - group.ExcludedBlocks) * blockSize));
                        if (hosts.Count > 0)
                        {
                            routes.AddRange(group.Ranges.Select(r => new RouteDestination(network.Config.Name, zone.Name, subnet.SubnetId, group.Index, r, hosts)));
                        }
                    }
                }

                zones.Add(new ZonePlan(zone.Name, zone.Cidr, groups, slots));
            }

            var capacity = zones.Sum(z => z.Groups.Sum(g => g.AddressCapacity));
            var allocated = zones.Sum(z => z.Groups.Sum(g => g.AddressesAllocated));
            networks.Add(new NetworkPlan(network.Config.Name, network.Config.Cidr, network.Config.BlockMask, zones, network.Spare, capacity, allocated));
        }

        var overflow = _networks.Sum(n => n.Groups.Sum(g => g.Ranges.Count - 1));
        return new IpamPlan(
            Topology.Cluster, networks, routes, routes.Count, Topology.MaxRoutesPerTable + overflow,
            Topology.RouteLimit, Topology.RouteHeadroom, Topology.RouteBudget, _hosts.Count, _pods.Count)
        {
            Blocks = BlockUsage(),
        };
    }
}
