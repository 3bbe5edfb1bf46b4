using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>DescribeRouteTables, CreateRoute, ReplaceRoute, DeleteRoute.</summary>
internal static class RouteTableActions
{
    public static IEnumerable<Ec2Action> All =>
    [
        new("DescribeRouteTables", ApiCategory.Describe, Describe),
        new("CreateRoute", ApiCategory.Mutating, Create),
        new("ReplaceRoute", ApiCategory.Mutating, Replace),
        new("DeleteRoute", ApiCategory.Mutating, Delete),
    ];

    private static object?[] Describe(QueryRequest request, SimWorld world)
    {
        var ids = request.List("RouteTableId");
        var missing = ids.FirstOrDefault(id => !world.RouteTables.ContainsKey(id));
        if (missing is not null)
        {
            throw new Ec2Exception("InvalidRouteTableID.NotFound", $"The routeTable ID '{InputEcho.Of(missing)}' does not exist");
        }

        var tables = Filters.Apply(world.RouteTables.Values.Where(t => ids.Count == 0 || ids.Contains(t.Id)), request, (t, f) => f switch
        {
            "route-table-id" => [t.Id],
            "vpc-id" => [t.VpcId],
            "association.subnet-id" => t.Associations.Select(a => a.SubnetId),
            "association.route-table-association-id" => t.Associations.Select(a => a.Id),
            "association.route-table-id" => t.Associations.Select(_ => t.Id),
            "association.main" => [Bool(t.IsMain)],
            "route.destination-cidr-block" => t.Routes.Select(r => r.DestinationCidrBlock),
            "route.instance-id" => t.Routes.Select(world.RouteInstanceId),
            "route.state" => t.Routes.Select(world.RouteState),
            "route.origin" => t.Routes.Select(r => r.Origin),
            _ => Filters.TagFields(t.Tags, f),
        }).ToList();
        var (page, next) = Paging.Page(tables, request, 5, 100);
        return
        [
            Set("routeTableSet", page, t => [E("routeTableId", t.Id), E("vpcId", t.VpcId), E("ownerId", world.Settings.AccountId),
                Set("routeSet", t.Routes, r => Route(world, r)),
                Set("associationSet", t.Associations, a => [E("routeTableAssociationId", a.Id), E("routeTableId", t.Id),
                    a.SubnetId is null ? null : E("subnetId", a.SubnetId), E("main", Bool(a.Main)), E("associationState", E("state", "associated"))]),
                E("propagatingVgwSet"), TagSet(t.Tags)]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static object?[] Route(SimWorld world, SimRoute route) =>
    [
        E("destinationCidrBlock", route.DestinationCidrBlock),
        route.Kind switch
        {
            RouteTargetKind.Local => E("gatewayId", "local"),
            RouteTargetKind.Gateway => E("gatewayId", route.TargetId),
            RouteTargetKind.NatGateway => E("natGatewayId", route.TargetId),
            RouteTargetKind.VpcPeeringConnection => E("vpcPeeringConnectionId", route.TargetId),
            RouteTargetKind.TransitGateway => E("transitGatewayId", route.TargetId),
            _ => null,
        },
        world.RouteInstanceId(route) is { } instance ? new object[] { E("instanceId", instance), E("instanceOwnerId", world.Settings.AccountId) } : null,
        route.NetworkInterfaceId is null ? null : E("networkInterfaceId", route.NetworkInterfaceId),
        E("state", world.RouteState(route)),
        E("origin", route.Origin),
    ];

    private static object?[] Create(QueryRequest request, SimWorld world)
    {
        var table = request.Required("RouteTableId");
        var destination = request.Get("DestinationCidrBlock") ?? throw Ec2Exception.Missing("destinationCidrBlock");
        world.CreateRoute(table, destination, Target(request) ?? throw SimWorld.TargetMissing(), request.Bool("DryRun"));
        return [Return()];
    }

    private static object?[] Replace(QueryRequest request, SimWorld world)
    {
        var table = request.Required("RouteTableId");
        var destination = request.Get("DestinationCidrBlock") ?? throw Ec2Exception.Missing("destinationCidrBlock");
        var localTarget = request.Bool("LocalTarget");
        var target = Target(request);
        if (localTarget && target is not null)
        {
            throw new Ec2Exception("InvalidParameterCombination", "The parameter localTarget cannot be used with a route target");
        }

        world.ReplaceRoute(table, destination, target, localTarget, request.Bool("DryRun"));
        return [Return()];
    }

    private static object?[] Delete(QueryRequest request, SimWorld world)
    {
        var destination = request.Get("DestinationCidrBlock") ?? throw Ec2Exception.Missing("destinationCidrBlock");
        world.DeleteRoute(request.Required("RouteTableId"), destination, request.Bool("DryRun"));
        return [Return()];
    }

    /// <summary>The one target parameter (null when none is given); two are an error, as in EC2.</summary>
    private static SimWorld.RouteTarget? Target(QueryRequest request)
    {
        (string Parameter, RouteTargetKind Kind)[] kinds =
        [
            ("InstanceId", RouteTargetKind.Instance), ("NetworkInterfaceId", RouteTargetKind.NetworkInterface),
            ("GatewayId", RouteTargetKind.Gateway), ("NatGatewayId", RouteTargetKind.NatGateway),
            ("VpcPeeringConnectionId", RouteTargetKind.VpcPeeringConnection), ("TransitGatewayId", RouteTargetKind.TransitGateway),
        ];
        var given = kinds.Where(k => request.Get(k.Parameter) is { Length: > 0 }).ToList();
        return given.Count switch
        {
            1 => new SimWorld.RouteTarget(given[0].Kind, request.Get(given[0].Parameter)!),
            0 => null,
            _ => throw new Ec2Exception("InvalidParameterCombination", $"The parameter {given[0].Parameter} cannot be used with the parameter {given[1].Parameter}"),
        };
    }
}
