using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>DescribeInstanceStatus, ModifyInstanceAttribute, DescribeInstanceAttribute (sourceDestCheck).</summary>
internal static class InstanceStatusActions
{
    public static IEnumerable<Ec2Action> All =>
    [
        new("DescribeInstanceStatus", ApiCategory.Describe, DescribeStatus),
        new("ModifyInstanceAttribute", ApiCategory.Mutating, Modify),
        new("DescribeInstanceAttribute", ApiCategory.Describe, DescribeAttribute),
        new("ModifyNetworkInterfaceAttribute", ApiCategory.Mutating, ModifyInterface),
    ];

    private static object?[] ModifyInterface(QueryRequest request, SimWorld world)
    {
        var eni = world.Interface(request.Required("NetworkInterfaceId"));
        if (request.Get("SourceDestCheck.Value") is null)
        {
            throw Ec2Exception.Missing("SourceDestCheck");
        }

        var value = request.Bool("SourceDestCheck.Value");
        SimWorld.DryRunCheck(request.Bool("DryRun"));
        eni.SourceDestCheck = value;
        return [Return()];
    }

    private static object?[] DescribeStatus(QueryRequest request, SimWorld world)
    {
        var ids = request.List("InstanceId");
        if (ids.Count > 0 && request.Get("MaxResults") is not null)
        {
            throw new Ec2Exception("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        foreach (var id in ids)
        {
            _ = world.Instance(id);
        }

        // Like EC2: only running instances unless IncludeAllInstances=true.
        var includeAll = request.Bool("IncludeAllInstances");
        var instances = world.CurrentInstances()
            .Where(i => (ids.Count == 0 || ids.Contains(i.Id)) && (includeAll || i.State == InstanceState.Running))
            .ToList();
        var matched = Filters.Apply(instances, request, (i, f) => f switch
        {
            "instance-state-name" => [i.State.Name()],
            "availability-zone" => [i.Subnet.Zone],
            "system-status.status" or "instance-status.status" => [Status(i)],
            "event.code" => [i.ScheduledEvent],
            _ => null,
        }).ToList();
        var (page, next) = Paging.Page(matched, request, 5, 1000);
        return
        [
            Set("instanceStatusSet", page, i => [E("instanceId", i.Id), E("availabilityZone", i.Subnet.Zone),
                i.ScheduledEvent is null ? null : Set("eventsSet", [i.ScheduledEvent], code => [E("code", code),
                    E("description", $"The instance is scheduled for {code}"), E("notBefore", Time(world.Now.AddDays(1)))]),
                InstanceXml.State("instanceState", i.State),
                Check("systemStatus", i, "reachability"), Check("instanceStatus", i, "reachability")]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static string Status(SimInstance i) =>
        i.State != InstanceState.Running ? "not-applicable" : i.StatusImpaired ? "impaired" : "ok";

    private static System.Xml.Linq.XElement Check(string name, SimInstance i, string detail) =>
        E(name, E("status", Status(i)), Set("details", [detail], d => [E("name", d), E("status", i.StatusImpaired ? "failed" : "passed")]));

    private static object?[] Modify(QueryRequest request, SimWorld world)
    {
        var id = request.Required("InstanceId");
        var value = request.Get("SourceDestCheck.Value");
        if (value is null)
        {
            var other = request.Parameters.Keys.FirstOrDefault(k => k.EndsWith(".Value", StringComparison.Ordinal) || k == "Attribute");
            throw other is null
                ? Ec2Exception.Missing("SourceDestCheck")
                : new Ec2Exception("InvalidParameterValue", $"The simulator supports only the sourceDestCheck attribute, not {InputEcho.Of(other)}");
        }

        world.SetSourceDestCheck(id, request.Bool("SourceDestCheck.Value"), request.Bool("DryRun"));
        return [Return()];
    }

    private static object?[] DescribeAttribute(QueryRequest request, SimWorld world)
    {
        var id = request.Required("InstanceId");
        var attribute = request.Required("Attribute");
        var instance = world.Instance(id);
        if (attribute != "sourceDestCheck")
        {
            throw Ec2Exception.Invalid("Attribute", attribute, "The simulator supports only the sourceDestCheck attribute.");
        }

        SimWorld.DryRunCheck(request.Bool("DryRun"));
        return [E("instanceId", instance.Id), E("sourceDestCheck", E("value", Bool(instance.Primary.SourceDestCheck)))];
    }
}
