using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>DescribeVpcs, DescribeSubnets, DescribeAvailabilityZones, DescribeNetworkInterfaces.</summary>
internal static class NetworkActions
{
    public static IEnumerable<Ec2Action> All =>
    [
        new("DescribeVpcs", ApiCategory.Describe, DescribeVpcs),
        new("DescribeSubnets", ApiCategory.Describe, DescribeSubnets),
        new("DescribeAvailabilityZones", ApiCategory.Describe, DescribeAvailabilityZones),
        new("DescribeNetworkInterfaces", ApiCategory.Describe, DescribeNetworkInterfaces),
    ];

    private static object?[] DescribeVpcs(QueryRequest request, SimWorld world)
    {
        var ids = request.List("VpcId");
        var missing = ids.FirstOrDefault(id => !world.Vpcs.ContainsKey(id));
        if (missing is not null)
        {
            throw new Ec2Exception("InvalidVpcID.NotFound", $"The vpc ID '{InputEcho.Of(missing)}' does not exist");
        }

        var vpcs = Filters.Apply(world.Vpcs.Values.Where(v => ids.Count == 0 || ids.Contains(v.Id)), request, (v, f) => f switch
        {
            "vpc-id" => [v.Id],
            "cidr" or "cidr-block-association.cidr-block" => [v.Cidr.ToString()],
            "state" => ["available"],
            "is-default" => ["false"],
            _ => Filters.TagFields(v.Tags, f),
        }).ToList();
        var (page, next) = Paging.Page(vpcs, request, 5, 1000);
        return
        [
            Set("vpcSet", page, v => [E("vpcId", v.Id), E("ownerId", world.Settings.AccountId), E("state", "available"), E("cidrBlock", v.Cidr.ToString()),
                Set("cidrBlockAssociationSet", [v], c => [E("cidrBlock", c.Cidr.ToString()), E("cidrBlockState", E("state", "associated"))]),
                E("dhcpOptionsId", "default"), E("instanceTenancy", "default"), E("isDefault", "false"), TagSet(v.Tags)]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static object?[] DescribeSubnets(QueryRequest request, SimWorld world)
    {
        var ids = request.List("SubnetId");
        var missing = ids.FirstOrDefault(id => !world.Subnets.ContainsKey(id));
        if (missing is not null)
        {
            throw new Ec2Exception("InvalidSubnetID.NotFound", $"The subnet ID '{InputEcho.Of(missing)}' does not exist");
        }

        var subnets = Filters.Apply(world.Subnets.Values.Where(s => ids.Count == 0 || ids.Contains(s.Id)), request, (s, f) => f switch
        {
            "subnet-id" => [s.Id],
            "vpc-id" => [s.VpcId],
            "availability-zone" => [s.Zone],
            "availability-zone-id" => [s.ZoneId],
            "cidr-block" or "cidr" or "cidrBlock" => [s.Cidr.ToString()],
            "state" => ["available"],
            _ => Filters.TagFields(s.Tags, f),
        }).ToList();
        var (page, next) = Paging.Page(subnets, request, 5, 1000);
        return
        [
            Set("subnetSet", page, s => [E("subnetId", s.Id), E("subnetArn", $"arn:aws:ec2:{world.Settings.Region}:{world.Settings.AccountId}:subnet/{s.Id}"),
                E("state", "available"), E("ownerId", world.Settings.AccountId), E("vpcId", s.VpcId), E("cidrBlock", s.Cidr.ToString()),
                E("availableIpAddressCount", s.AvailableIpAddressCount), E("availabilityZone", s.Zone), E("availabilityZoneId", s.ZoneId),
                E("defaultForAz", "false"), E("mapPublicIpOnLaunch", "false"), TagSet(s.Tags)]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static object?[] DescribeAvailabilityZones(QueryRequest request, SimWorld world)
    {
        var names = request.List("ZoneName");
        var unknown = names.FirstOrDefault(n => !world.Zones.Contains(n));
        if (unknown is not null)
        {
            throw Ec2Exception.Invalid("zoneName", unknown, "The zone does not exist in this region.");
        }

        var zones = Filters.Apply(world.Zones.Where(z => names.Count == 0 || names.Contains(z)), request, (z, f) => f switch
        {
            "zone-name" => [z],
            "zone-id" => [ZoneId(world, z)],
            "region-name" => [world.Settings.Region],
            "state" => ["available"],
            "zone-type" => ["availability-zone"],
            _ => null,
        });
        return
        [
            Set("availabilityZoneInfo", zones, z => [E("zoneName", z), E("zoneState", "available"), E("regionName", world.Settings.Region),
                E("zoneId", ZoneId(world, z)), E("zoneType", "availability-zone"), E("optInStatus", "opt-in-not-required"), E("messageSet")]),
        ];
    }

    /// <summary>Zone ids like AWS's (use1-az1, …), in the order zones were declared.</summary>
    public static string ZoneId(SimWorld world, string zone)
    {
        var region = world.Settings.Region.Split('-');
        var prefix = region.Length == 3 ? $"{region[0]}{region[1][0]}{region[2]}" : world.Settings.Region;
        return $"{prefix}-az{world.Zones.IndexOf(zone) + 1}";
    }

    private static object?[] DescribeNetworkInterfaces(QueryRequest request, SimWorld world)
    {
        var ids = request.List("NetworkInterfaceId");
        var missing = ids.FirstOrDefault(id => !world.Interfaces.TryGetValue(id, out var e) || e.Deleted);
        if (missing is not null)
        {
            throw new Ec2Exception("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{InputEcho.Of(missing)}' does not exist");
        }

        var enis = Filters.Apply(world.Interfaces.Values.Where(e => !e.Deleted && (ids.Count == 0 || ids.Contains(e.Id))), request, (e, f) => f switch
        {
            "network-interface-id" => [e.Id],
            "subnet-id" => [e.Subnet.Id],
            "vpc-id" => [e.Subnet.VpcId],
            "availability-zone" => [e.Subnet.Zone],
            "attachment.instance-id" => [e.InstanceId],
            "attachment.device-index" => [e.InstanceId is null ? null : e.DeviceIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "private-ip-address" or "addresses.private-ip-address" => [e.PrivateIp.ToString()],
            "status" => [e.Status],
            "source-dest-check" => [Bool(e.SourceDestCheck)],
            _ => Filters.TagFields(e.Tags, f),
        }).ToList();
        var (page, next) = Paging.Page(enis, request, 5, 1000);
        return
        [
            Set("networkInterfaceSet", page, e => [E("networkInterfaceId", e.Id), E("subnetId", e.Subnet.Id), E("vpcId", e.Subnet.VpcId),
                E("availabilityZone", e.Subnet.Zone), E("description"), E("ownerId", world.Settings.AccountId), E("requesterManaged", "false"),
                E("status", e.Status), E("privateIpAddress", e.PrivateIp.ToString()), E("sourceDestCheck", Bool(e.SourceDestCheck)),
                E("interfaceType", "interface"),
                e.InstanceId is null ? null : E("attachment", E("attachmentId", e.AttachmentId), E("instanceId", e.InstanceId),
                    E("instanceOwnerId", world.Settings.AccountId), E("deviceIndex", e.DeviceIndex), E("status", "attached"),
                    E("deleteOnTermination", Bool(e.DeviceIndex == 0))),
                Set("privateIpAddressesSet", [e], p => [E("privateIpAddress", p.PrivateIp.ToString()), E("primary", "true")]),
                TagSet(e.Tags)]),
            next is null ? null : E("nextToken", next),
        ];
    }
}
