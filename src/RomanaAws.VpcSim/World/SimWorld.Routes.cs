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
            throw new Ec2Exception("RouteAlreadyExists", $"The route identified by {destination} already exists.");
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

    public void ReplaceRoute(string tableId, string destination, RouteTarget target, bool dryRun)
    {
        var table = RouteTable(tableId);
        ValidateDestination(destination);
        var route = table.Find(destination) ?? throw RouteNotFound(tableId, destination);
        if (route.Kind == RouteTargetKind.Local)
        {
            throw Ec2Exception.Invalid("destinationCidrBlock", destination, $"Cannot replace the local route of route table {tableId}.");
        }

        var eni = ResolveTarget(table, target);
        DryRunCheck(dryRun);
        route.Kind = target.Kind;
        route.TargetId = eni is null ? target.Id : null;
        route.NetworkInterfaceId = eni?.Id;
    }

    public void DeleteRoute(string tableId, string destination, bool dryRun)
    {
        var table = RouteTable(tableId);
        ValidateDestination(destination);
        var route = table.Find(destination) ?? throw RouteNotFound(tableId, destination);
        if (route.Kind == RouteTargetKind.Local)
        {
            throw Ec2Exception.Invalid("destinationCidrBlock", destination, $"cannot remove local route {destination} in route table {tableId}");
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
        new("InvalidRoute.NotFound", $"no route with destination-cidr-block {destination} in route table {tableId}");

    private static void ValidateDestination(string destination)
    {
        if (!IpMath.TryParseCidr(destination, out _))
        {
            throw Ec2Exception.Invalid("destinationCidrBlock", destination, "This is not a valid CIDR block.");
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
                    throw new Ec2Exception("InvalidInstanceID.NotFound", $"The instance ID '{target.Id}' does not exist");
                }

                if (instance.Interfaces.Count(i => !i.Deleted) > 1)
                {
                    throw new Ec2Exception("InvalidInstanceID", $"There are multiple interfaces attached to instance '{target.Id}'. Please specify an interface ID for the operation instead.");
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
