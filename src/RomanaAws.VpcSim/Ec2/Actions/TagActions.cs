using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>CreateTags, DescribeTags over every taggable resource of the world.</summary>
internal static class TagActions
{
    public static IEnumerable<Ec2Action> All =>
    [
        new("CreateTags", ApiCategory.Mutating, Create),
        new("DescribeTags", ApiCategory.Describe, Describe),
    ];

    private static object?[] Create(QueryRequest request, SimWorld world)
    {
        var ids = request.List("ResourceId");
        if (ids.Count == 0)
        {
            throw Ec2Exception.Missing("ResourceId");
        }

        var tags = request.Tags("Tag");
        if (tags.Count == 0)
        {
            throw Ec2Exception.Missing("Tag");
        }

        var targets = ids.Select(id => Find(world, id) ?? throw NotFound(id)).ToList();
        SimWorld.DryRunCheck(request.Bool("DryRun"));
        foreach (var (_, tagSet) in targets)
        {
            tagSet.SetAll(tags);
        }

        return [Return()];
    }

    private static object?[] Describe(QueryRequest request, SimWorld world)
    {
        var all = Resources(world).SelectMany(r => r.Tags.All.Select(t => (r.Id, r.Type, t.Key, t.Value))).ToList();
        var matched = Filters.Apply(all, request, (t, f) => f switch
        {
            "resource-id" => [t.Id],
            "resource-type" => [t.Type],
            "key" => [t.Key],
            "value" => [t.Value],
            _ => null,
        }).ToList();
        var (page, next) = Paging.Page(matched, request, 5, 1000);
        return
        [
            Set("tagSet", page, t => [E("resourceId", t.Id), E("resourceType", t.Type), E("key", t.Key), E("value", t.Value)]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static IEnumerable<(string Id, string Type, SimTags Tags)> Resources(SimWorld world) =>
        world.Vpcs.Values.Select(v => (v.Id, "vpc", v.Tags))
            .Concat(world.Subnets.Values.Select(s => (s.Id, "subnet", s.Tags)))
            .Concat(world.RouteTables.Values.Select(t => (t.Id, "route-table", t.Tags)))
            .Concat(world.Instances.Values.Select(i => (i.Id, "instance", i.Tags)))
            .Concat(world.Interfaces.Values.Where(e => !e.Deleted).Select(e => (e.Id, "network-interface", e.Tags)));

    private static (string Type, SimTags Tags)? Find(SimWorld world, string id) =>
        Resources(world).Where(r => r.Id == id).Select(r => ((string Type, SimTags Tags)?)(r.Type, r.Tags)).FirstOrDefault();

    private static Ec2Exception NotFound(string id)
    {
        var prefix = id.Split('-')[0];
        var kind = prefix switch
        {
            "i" => "InvalidInstanceID",
            "rtb" => "InvalidRouteTableID",
            "subnet" => "InvalidSubnetID",
            "vpc" => "InvalidVpcID",
            "eni" => "InvalidNetworkInterfaceID",
            _ => "InvalidID",
        };
        return kind == "InvalidID"
            ? new Ec2Exception("InvalidID", $"The ID '{InputEcho.Of(id)}' is not valid")
            : new Ec2Exception($"{kind}.NotFound", $"The ID '{InputEcho.Of(id)}' does not exist");
    }
}
