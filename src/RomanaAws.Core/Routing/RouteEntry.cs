using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>What a VPC route points at.</summary>
public enum RouteTargetKind
{
    Local,
    Gateway,
    NatGateway,
    PeeringConnection,
    TransitGateway,
    Instance,
    NetworkInterface,
    Other,
}

/// <summary>EC2's route state: <c>blackhole</c> when the target is stopped, terminated or gone.</summary>
public enum RouteState
{
    Active,
    Blackhole,
}

/// <summary>One route of a VPC route table, as described by EC2.</summary>
public sealed record RouteEntry(
    string Destination,
    RouteTargetKind TargetKind,
    string? TargetId,
    string? InstanceId,
    string? NetworkInterfaceId,
    RouteState State,
    string Origin)
{
    /// <summary>The destination as a prefix, or null for destinations that are not CIDRs (prefix lists).</summary>
    public Cidr? DestinationCidr { get; } = Cidr.TryParse(Destination, out var cidr) ? cidr : null;
}
