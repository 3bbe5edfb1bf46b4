namespace RomanaAws.VpcSim.World;

/// <summary>What a route points at, as EC2 reports it.</summary>
internal enum RouteTargetKind
{
    Local,
    Gateway,
    NatGateway,
    VpcPeeringConnection,
    TransitGateway,
    Instance,
    NetworkInterface,
}

/// <summary>One route of a table. Its state (active/blackhole) is computed from its target when described.</summary>
internal sealed class SimRoute
{
    public required string DestinationCidrBlock { get; init; }

    public required RouteTargetKind Kind { get; set; }

    /// <summary>The gateway, NAT gateway, peering or transit gateway id; "local" for the local route.</summary>
    public string? TargetId { get; set; }

    /// <summary>For instance and ENI targets: the ENI the route points at.</summary>
    public string? NetworkInterfaceId { get; set; }

    /// <summary>CreateRouteTable (local), CreateRoute, or EnableVgwRoutePropagation.</summary>
    public required string Origin { get; init; }
}
