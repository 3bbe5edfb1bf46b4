using System.Text.Json.Serialization;

namespace RomanaAws.Core.Topology;

/// <summary>
/// The cluster's network topology as configured: pod networks carved into zones, subnet slots and groups.
/// Defaults live here and only here; <see cref="TopologyValidator"/> decides what is valid.
/// </summary>
public sealed record TopologyConfig
{
    public const int DefaultRouteLimit = 50;
    public const int DefaultRouteHeadroom = 5;
    public const int DefaultGroupsPerSubnet = 4;
    public const int DefaultSubnetsPerZone = 2;
    public const int DefaultMaxZones = 4;

    public required string Cluster { get; init; }

    public required IReadOnlyList<NetworkConfig> Networks { get; init; }

    /// <summary>Configured zones, or <c>null</c> to discover zones from the instances.</summary>
    public IReadOnlyList<ZoneConfig>? Zones { get; init; }

    /// <summary>
    /// Zones a network is carved for: each zone's share is weight / max(total weight, maxZones), so room is left for
    /// zones added later. When <see cref="Zones"/> is omitted, also the most zones that can be discovered.
    /// </summary>
    public int MaxZones { get; init; } = DefaultMaxZones;

    /// <summary>Subnet slots per zone aggregate (a power of two).</summary>
    public int SubnetsPerZone { get; init; } = DefaultSubnetsPerZone;

    /// <summary>Groups per subnet slot (a power of two): more groups, more routes, less forwarding through routers.</summary>
    public int GroupsPerSubnet { get; init; } = DefaultGroupsPerSubnet;

    public int RouteLimit { get; init; } = DefaultRouteLimit;

    public int RouteHeadroom { get; init; } = DefaultRouteHeadroom;

    /// <summary>How groups are advertised (<c>routing:</c>): VPC routes (the default) or BGP. Never stored with the IPAM state.</summary>
    [JsonIgnore]
    public RoutingConfig Routing { get; init; } = RoutingConfig.Vpc;

    /// <summary>Routes we may own per route table: <c>routeLimit − routeHeadroom</c>.</summary>
    [JsonIgnore]
    public int RouteBudget => RouteLimit - RouteHeadroom;

    /// <summary>Number of zone slots a network is planned for (configured zones, or <see cref="MaxZones"/>).</summary>
    [JsonIgnore]
    public int PlannedZoneCount => Zones?.Count ?? MaxZones;

    /// <summary>The most routes per table this topology can need once every subnet slot and group is in use.</summary>
    [JsonIgnore]
    public int MaxRoutesPerTable => (int)Math.Min(int.MaxValue, (long)Networks.Count * PlannedZoneCount * SubnetsPerZone * GroupsPerSubnet);
}
