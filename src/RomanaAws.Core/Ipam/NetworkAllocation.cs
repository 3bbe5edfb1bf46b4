using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>One pod network's carving: zone aggregates, and the spare space overflow ranges come from.</summary>
internal sealed class NetworkAllocation
{
    public NetworkAllocation(TopologyConfig topology, int index)
    {
        Topology = topology;
        Index = index;
        Config = topology.Networks[index];
    }

    public TopologyConfig Topology { get; }

    public int Index { get; }

    public NetworkConfig Config { get; }

    public List<ZoneAllocation> Zones { get; } = [];

    public ZoneAllocation? Find(string zone) => Zones.FirstOrDefault(z => z.Name == zone);

    public IEnumerable<SubnetAllocation> Subnets => Zones.SelectMany(z => z.Slots).OfType<SubnetAllocation>();

    public IEnumerable<GroupAllocation> Groups => Subnets.SelectMany(s => s.Groups);

    /// <summary>Everything carved out of the network: zone aggregates and overflow ranges.</summary>
    public IEnumerable<Cidr> Taken => Zones.Select(z => z.Cidr).Concat(Groups.SelectMany(g => g.Overflow));

    /// <summary>Space not given to any zone or overflow range, as a minimal CIDR list.</summary>
    public IReadOnlyList<Cidr> Spare => CidrSpace.Subtract(Config.Cidr, Taken);

    /// <summary>Adds a zone's aggregate: its weighted share, at the lowest free aligned place.</summary>
    public ZoneAllocation AddZone(string name)
    {
        var prefix = TopologyLayout.ZonePrefix(Topology, Config, TopologyLayout.WeightOf(Topology, name));
        var cidr = CidrSpace.FindFree(Config.Cidr, prefix, Taken) ?? throw new IpamException(
            $"network '{Config.Name}' ({Config.Cidr}) has no free /{prefix} left for zone '{name}'; spare: " +
            $"{FormatSpare()}; give the zone a smaller weight or add a network");
        var zone = new ZoneAllocation(this, name, cidr);
        Zones.Add(zone);
        return zone;
    }

    public string FormatSpare()
    {
        var spare = Spare;
        return spare.Count == 0 ? "none" : string.Join(", ", spare);
    }
}
