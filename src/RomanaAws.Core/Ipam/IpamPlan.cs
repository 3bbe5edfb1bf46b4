using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// A read-only view of the carving and its route needs: what <c>romana-aws ipam plan</c> prints and what the
/// route controller consumes. <see cref="Routes"/> is exactly the list of destinations that need a VPC route.
/// </summary>
public sealed record IpamPlan(
    string Cluster,
    IReadOnlyList<NetworkPlan> Networks,
    IReadOnlyList<RouteDestination> Routes,
    int RoutesPerTable,
    int MaxRoutesPerTable,
    int RouteLimit,
    int RouteHeadroom,
    int RouteBudget,
    int Hosts,
    int Pods)
{
    /// <summary>Every block with its usage and capacity (agents report usage for the blocks they claimed).</summary>
    public IReadOnlyList<BlockUsage> Blocks { get; init; } = [];
}

/// <summary>One network: its zones, and the space no zone or overflow range holds yet.</summary>
public sealed record NetworkPlan(string Name, Cidr Cidr, int BlockMask, IReadOnlyList<ZonePlan> Zones, IReadOnlyList<Cidr> Spare, long AddressCapacity, long AddressesAllocated);

/// <summary>One zone's aggregate: groups of bound subnets, and every subnet slot (bound or spare).</summary>
public sealed record ZonePlan(string Name, Cidr Cidr, IReadOnlyList<GroupPlan> Groups, IReadOnlyList<SubnetSlotPlan> SubnetSlots);

/// <summary>A subnet slot; <see cref="Subnet"/> is null while the slot is spare.</summary>
public sealed record SubnetSlotPlan(int Slot, Cidr Cidr, string? Subnet);

/// <summary>A group: one route (plus one per overflow range) once it has hosts.</summary>
public sealed record GroupPlan(
    Cidr Cidr,
    string Subnet,
    int Index,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<Cidr> Overflow,
    int BlocksAllocated,
    int BlocksExcluded,
    int BlocksTotal,
    long AddressesAllocated,
    long AddressCapacity);

/// <summary>A destination that needs one VPC route in every managed table, and the hosts that can serve it.</summary>
public sealed record RouteDestination(string Network, string Zone, string Subnet, int Group, Cidr Destination, IReadOnlyList<string> Hosts);
