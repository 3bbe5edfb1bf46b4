using System.Net;
using Amazon.EC2.Model;
using RomanaAws.Core.Routing;
using SdkRouteState = Amazon.EC2.RouteState;

namespace RomanaAws.Aws.Ec2;

/// <summary>SDK models → our snapshots. Pure.</summary>
internal static class Ec2Mapping
{
    public static InstanceSnapshot ToSnapshot(Instance i)
    {
        var interfaces = i.NetworkInterfaces ?? [];
        var primary = interfaces.FirstOrDefault(n => n.Attachment?.DeviceIndex == 0) ?? interfaces.FirstOrDefault();
        return new InstanceSnapshot(
            i.InstanceId,
            i.Placement?.AvailabilityZone ?? string.Empty,
            i.SubnetId ?? string.Empty,
            i.VpcId ?? string.Empty,
            IPAddress.TryParse(i.PrivateIpAddress, out var ip) ? ip : IPAddress.None,
            State(i.State?.Name?.Value),
            primary?.NetworkInterfaceId ?? string.Empty,
            interfaces.Count,
            primary?.SourceDestCheck ?? i.SourceDestCheck ?? true,
            (i.Tags ?? []).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal));
    }

    public static InstanceStatusSnapshot ToSnapshot(InstanceStatus s) => new(
        s.InstanceId,
        State(s.InstanceState?.Name?.Value),
        s.SystemStatus?.Status?.Value == "impaired" || s.Status?.Status?.Value == "impaired",
        (s.Events ?? []).Where(e => e.Description?.StartsWith("[Completed]", StringComparison.Ordinal) != true && e.Description?.StartsWith("[Canceled]", StringComparison.Ordinal) != true).Select(e => e.Code?.Value ?? "event").ToList());

    public static RouteTableSnapshot ToSnapshot(RouteTable t) => new(
        t.RouteTableId,
        t.VpcId,
        (t.Associations ?? []).Any(a => a.Main == true),
        (t.Associations ?? []).Where(a => a.SubnetId is not null).Select(a => a.SubnetId).ToList(),
        (t.Routes ?? []).Select(ToEntry).ToList(),
        (t.Tags ?? []).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal));

    private static RouteEntry ToEntry(Route r)
    {
        var (kind, target) = r switch
        {
            { GatewayId: "local" } => (RouteTargetKind.Local, "local"),
            { NetworkInterfaceId: { } eni } => (RouteTargetKind.NetworkInterface, eni),
            { InstanceId: { } instance } => (RouteTargetKind.Instance, instance),
            { NatGatewayId: { } nat } => (RouteTargetKind.NatGateway, nat),
            { VpcPeeringConnectionId: { } pcx } => (RouteTargetKind.PeeringConnection, pcx),
            { TransitGatewayId: { } tgw } => (RouteTargetKind.TransitGateway, tgw),
            { GatewayId: { } gateway } => (RouteTargetKind.Gateway, gateway),
            _ => (RouteTargetKind.Other, (string?)null),
        };
        return new RouteEntry(
            r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? string.Empty,
            kind,
            target,
            r.InstanceId,
            r.NetworkInterfaceId,
            r.State == SdkRouteState.Blackhole ? RouteState.Blackhole : RouteState.Active,
            r.Origin?.Value ?? string.Empty);
    }

    private static InstanceLifecycle State(string? name) => name switch
    {
        "pending" => InstanceLifecycle.Pending,
        "running" => InstanceLifecycle.Running,
        "stopping" => InstanceLifecycle.Stopping,
        "stopped" => InstanceLifecycle.Stopped,
        "shutting-down" => InstanceLifecycle.ShuttingDown,
        _ => InstanceLifecycle.Terminated,
    };
}
