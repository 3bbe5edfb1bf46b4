using System.Net;
using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim.World;

internal sealed partial class SimWorld
{
    /// <summary>A route target as the request named it.</summary>
    public readonly record struct RouteTarget(RouteTargetKind Kind, string Id);

    public void CreateRoute(string tableId, string destination, RouteTarget target, bool dryRun)
    {
        var table = RouteTable(tableId);
        ValidateDestination(destination);
        var eni = ResolveTarget(table, target);
        if (table.Find(destination) is not null)
        {
            throw new Ec2Exception("RouteAlreadyExists", $"The route identified by {InputEcho.Of(destination)} already exists.");
        }

        if (table.Routes.Count >= (table.RouteLimit ?? Settings.RouteLimit))
        {
            throw new Ec2Exception("RouteLimitExceeded", "The maximum number of routes has been reached.");
        }

        DryRunCheck(dryRun);
        table.Routes.Add(new SimRoute
        {
            DestinationCidrBlock = destination,
            Kind = target.Kind,
            TargetId = eni is null ? target.Id : null,
            NetworkInterfaceId = eni?.Id,
            Origin = "CreateRoute",
        });
    }

    /// <summary>
    /// Replaces a route's target. As on AWS: a missing destination is InvalidParameterValue (not InvalidRoute.NotFound),
    /// and the local route may only be pointed at a network interface (middlebox routing) or reset with LocalTarget.
    /// </summary>
    public void ReplaceRoute(string tableId, string destination, RouteTarget? target, bool localTarget, bool dryRun)
    {
        var table = RouteTable(tableId);
        ValidateDestination(destination);
        var route = table.Find(destination) ?? throw Ec2Exception.Invalid(
            "destinationCidrBlock", destination, $"There is no route defined for '{InputEcho.Of(destination)}' in the route table. Use CreateRoute instead.");
        if (localTarget)
        {
            if (route.Origin != "CreateRouteTable")
            {
                throw Ec2Exception.Invalid("localTarget", "true", $"Route {InputEcho.Of(destination)} is not the local route of route table {InputEcho.Of(tableId)}.");
            }

            DryRunCheck(dryRun);
            route.Kind = RouteTargetKind.Local;
            route.TargetId = "local";
            route.NetworkInterfaceId = null;
            return;
        }

        var wanted = target ?? throw TargetMissing();
        if (route.Origin == "CreateRouteTable" && wanted.Kind != RouteTargetKind.NetworkInterface)
        {
            throw Ec2Exception.Invalid("destinationCidrBlock", destination, $"The local route of route table {InputEcho.Of(tableId)} can only target a network interface.");
        }

        var eni = ResolveTarget(table, wanted);
        DryRunCheck(dryRun);
        route.Kind = wanted.Kind;
        route.TargetId = eni is null ? wanted.Id : null;
        route.NetworkInterfaceId = eni?.Id;
    }

    public static Ec2Exception TargetMissing() =>
        new("MissingParameter", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId, transitGatewayId or instanceId");

    public void DeleteRoute(string tableId, string destination, bool dryRun)
    {
        var table = RouteTable(tableId);
        ValidateDestination(destination);
        var route = table.Find(destination) ?? throw RouteNotFound(tableId, destination);
        if (route.Origin == "CreateRouteTable")
        {
            throw new Ec2Exception("InvalidParameterValue", $"cannot remove local route {InputEcho.Of(destination)} in route table {InputEcho.Of(tableId)}");
        }

        DryRunCheck(dryRun);
        table.Routes.Remove(route);
    }

    public static void DryRunCheck(bool dryRun)
    {
        if (dryRun)
        {
            throw new Ec2Exception("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", HttpStatusCode.PreconditionFailed);
        }
    }

    private static Ec2Exception RouteNotFound(string tableId, string destination) =>
        new("InvalidRoute.NotFound", $"no route with destination-cidr-block {InputEcho.Of(destination)} in route table {InputEcho.Of(tableId)}");

    private static void ValidateDestination(string destination)
    {
        if (!IpMath.TryParseCidr(destination, out var cidr) || cidr.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw Ec2Exception.Invalid("destinationCidrBlock", destination, "This is not a valid IPv4 CIDR block (IPv6 destinations go in destinationIpv6CidrBlock).");
        }
    }

    /// <summary>The ENI an instance or interface target resolves to (null for gateways), checked like EC2 does.</summary>
    private SimNetworkInterface? ResolveTarget(SimRouteTable table, RouteTarget target)
    {
        switch (target.Kind)
        {
            case RouteTargetKind.Instance:
                var instance = Instance(target.Id);
                if (instance.State == InstanceState.Terminated)
                {
                    throw new Ec2Exception("InvalidInstanceID.NotFound", $"The instance ID '{InputEcho.Of(target.Id)}' does not exist");
                }

                if (instance.Interfaces.Count(i => !i.Deleted) > 1)
                {
                    throw new Ec2Exception("InvalidInstanceID", $"There are multiple interfaces attached to instance '{InputEcho.Of(target.Id)}'. Please specify an interface ID for the operation instead.");
                }

                CheckSameVpc(table, instance.Primary);
                return instance.Primary;
            case RouteTargetKind.NetworkInterface:
                var eni = Interface(target.Id);
                CheckSameVpc(table, eni);
                return eni;
            default:
                return null;
        }
    }

    private static void CheckSameVpc(SimRouteTable table, SimNetworkInterface eni)
    {
        if (eni.Subnet.VpcId != table.VpcId)
        {
            throw new Ec2Exception("InvalidParameterValue", $"Route table {table.Id} and network interface {eni.Id} belong to different networks.");
        }
    }
}
