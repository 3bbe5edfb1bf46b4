using RomanaAws.Core.Ipam;

namespace RomanaAws.Cli.Output;

/// <summary>The human form of an <see cref="IpamPlan"/>: a summary, the groups table, and spare space.</summary>
internal static class PlanRenderer
{
    public static string Render(IpamPlan plan)
    {
        var text = new System.Text.StringBuilder();
        var zones = plan.Networks.SelectMany(n => n.Zones).Select(z => z.Name).Distinct().Count();
        text.Append($"Cluster {plan.Cluster}: {plan.Networks.Count} network(s), {zones} zone(s), {plan.Hosts} host(s), {plan.Pods} pod address(es)\n");
        var headroomLeft = plan.RouteBudget - plan.RoutesPerTable;
        text.Append($"Routes per table: {plan.RoutesPerTable} now, up to {plan.MaxRoutesPerTable} planned; budget {plan.RouteBudget} " +
                    $"(routeLimit {plan.RouteLimit} − routeHeadroom {plan.RouteHeadroom}); {headroomLeft} to spare\n\n");

        var zoneTable = new TableWriter("NETWORK", "ZONE", "AGGREGATE", "SUBNET SLOTS", "SPARE SLOTS");
        foreach (var network in plan.Networks)
        {
            foreach (var zone in network.Zones)
            {
                var spare = zone.SubnetSlots.Where(s => s.Subnet is null).Select(s => s.Cidr.ToString()).ToList();
                zoneTable.Add(network.Name, zone.Name, zone.Cidr, zone.SubnetSlots.Count, spare.Count == 0 ? "none" : string.Join(" ", spare));
            }
        }

        text.Append(zoneTable).Append('\n');
        var groupTable = new TableWriter("NETWORK", "ZONE", "SUBNET", "GROUP", "CIDR", "HOSTS", "BLOCKS", "ADDRESSES", "USED", "ROUTE");
        foreach (var network in plan.Networks)
        {
            foreach (var zone in network.Zones)
            {
                foreach (var group in zone.Groups)
                {
                    var usable = group.BlocksTotal - group.BlocksExcluded;
                    groupTable.Add(
                        network.Name, zone.Name, group.Subnet, group.Index,
                        group.Overflow.Count == 0 ? group.Cidr.ToString() : $"{group.Cidr} +{string.Join(" +", group.Overflow)}",
                        group.Hosts.Count, $"{group.BlocksAllocated}/{usable}", $"{group.AddressesAllocated}/{group.AddressCapacity}",
                        group.AddressCapacity == 0 ? "-" : $"{100.0 * group.AddressesAllocated / group.AddressCapacity:0.0}%",
                        group.Hosts.Count > 0 ? $"yes ({1 + group.Overflow.Count})" : "no (empty)");
                }
            }
        }

        text.Append(groupTable.RowCount == 0 ? "No subnet bound yet: groups appear when the first host of a subnet arrives.\n" : groupTable.ToString());
        if (plan.Blocks.Count > 0)
        {
            // Claimed blocks: usage as the host's agent last reported it; other blocks: the pods the state lists.
            var blockTable = new TableWriter("NETWORK", "BLOCK", "HOST", "OWNER", "USED", "KIND");
            foreach (var block in plan.Blocks)
            {
                blockTable.Add(block.Network, block.Cidr, block.InstanceId, block.Owner, $"{block.Used}/{block.Capacity}", block.Claimed ? "claimed" : "pods");
            }

            text.Append('\n').Append(blockTable);
        }
        foreach (var network in plan.Networks)
        {
            var used = network.AddressCapacity == 0 ? 0 : 100.0 * network.AddressesAllocated / network.AddressCapacity;
            text.Append($"\nNetwork {network.Name} {network.Cidr}: {network.AddressesAllocated} of {network.AddressCapacity} addresses in bound subnets used ({used:0.0}%); " +
                        $"spare space: {(network.Spare.Count == 0 ? "none" : string.Join(", ", network.Spare))}\n");
        }

        return text.ToString();
    }
}
