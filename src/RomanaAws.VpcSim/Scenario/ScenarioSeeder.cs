using System.Net;
using RomanaAws.VpcSim.Ec2.Actions;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Scenario;

/// <summary>Fills an empty world from a validated scenario.</summary>
internal static class ScenarioSeeder
{
    public static SimSettings Settings(ScenarioFile s) => new()
    {
        Region = s.Region,
        AccountId = s.AccountId,
        RouteLimit = s.RouteLimit,
        InstanceLimit = s.InstanceLimit,
        TransitionTime = TimeSpan.FromSeconds(s.TransitionSeconds),
    };

    public static void Seed(SimWorld world, ScenarioFile s)
    {
        world.Zones.AddRange(s.Zones);

        // Given ids are set aside first, so no generated id can take one that a later entry names.
        world.SetAside(new[] { s.Vpc!.Id }.Concat(s.Subnets.Select(x => x.Id)).Concat(s.RouteTables.Select(x => x.Id)).Concat(s.Instances.Select(x => x.Id)).OfType<string>());

        var vpcId = s.Vpc!.Id ?? world.NewId("vpc");
        world.Reserve(vpcId);
        _ = IpMath.TryParseCidr(s.Vpc.Cidr, out var vpcCidr);
        var vpc = new SimVpc(vpcId, vpcCidr);
        vpc.Tags.SetAll(s.Vpc.Tags);
        world.Vpcs.Add(vpc.Id, vpc);

        var subnets = new Dictionary<string, SimSubnet>(StringComparer.Ordinal);
        foreach (var spec in s.Subnets)
        {
            var id = spec.Id ?? world.NewId("subnet");
            world.Reserve(id);
            _ = IpMath.TryParseCidr(spec.Cidr, out var cidr);
            var subnet = new SimSubnet(id, vpc.Id, spec.Zone!, NetworkActions.ZoneId(world, spec.Zone!), cidr);
            subnet.Tags.SetAll(spec.Tags);
            world.Subnets.Add(id, subnet);
            subnets.Add(spec.Name!, subnet);
        }

        // Given addresses likewise: an instance without one must not be handed the address a later instance names.
        foreach (var spec in s.Instances.Where(x => x.PrivateIp is not null))
        {
            subnets[spec.Subnet!].Take(IPAddress.Parse(spec.PrivateIp!));
        }

        var instances = new Dictionary<string, SimInstance>(StringComparer.Ordinal);
        foreach (var spec in s.Instances)
        {
            _ = InstanceStateNames.TryParse(spec.State, out var state);
            var subnet = subnets[spec.Subnet!];
            var ip = spec.PrivateIp is null ? null : IPAddress.Parse(spec.PrivateIp);
            if (ip is not null)
            {
                subnet.Free(ip);
            }

            var instance = world.AddInstance(spec.Id, subnet, ip, state, "ami-0abcdef1234567890", "m5.large");
            instance.Tags.SetAll(spec.Tags);
            instance.Primary.SourceDestCheck = spec.SourceDestCheck;
            for (var n = 0; n < spec.ExtraInterfaces; n++)
            {
                world.AttachInterface(instance, subnet, null, null);
            }

            if (state == InstanceState.Terminated)
            {
                foreach (var eni in instance.Interfaces)
                {
                    eni.Deleted = true;
                    subnet.Free(eni.PrivateIp);
                }
            }

            instances.Add(spec.Name!, instance);
        }

        foreach (var spec in s.RouteTables)
        {
            var id = spec.Id ?? world.NewId("rtb");
            world.Reserve(id);
            var table = new SimRouteTable(id, vpc.Id) { RouteLimit = spec.RouteLimit };
            table.Tags.SetAll(spec.Tags);
            table.Routes.Add(new SimRoute { DestinationCidrBlock = vpc.Cidr.ToString(), Kind = RouteTargetKind.Local, TargetId = "local", Origin = "CreateRouteTable" });
            if (spec.Main)
            {
                table.Associations.Add(new SimAssociation(world.NewId("rtbassoc"), null, true));
            }

            foreach (var name in spec.Subnets)
            {
                table.Associations.Add(new SimAssociation(world.NewId("rtbassoc"), subnets[name].Id, false));
            }

            foreach (var route in spec.Routes)
            {
                table.Routes.Add(ToRoute(route, instances));
            }

            world.RouteTables.Add(id, table);
        }
    }

    private static SimRoute ToRoute(RouteSpec route, Dictionary<string, SimInstance> instances)
    {
        var (kind, target) = route switch
        {
            { Gateway: { } g } => (RouteTargetKind.Gateway, g),
            { NatGateway: { } n } => (RouteTargetKind.NatGateway, n),
            { VpcPeeringConnection: { } p } => (RouteTargetKind.VpcPeeringConnection, p),
            { TransitGateway: { } t } => (RouteTargetKind.TransitGateway, t),
            _ => (RouteTargetKind.Instance, route.Instance!),
        };
        return new SimRoute
        {
            DestinationCidrBlock = route.Destination!,
            Kind = kind,
            TargetId = kind == RouteTargetKind.Instance ? null : target,
            NetworkInterfaceId = kind == RouteTargetKind.Instance ? instances[target].Primary.Id : null,
            Origin = "CreateRoute",
        };
    }
}
