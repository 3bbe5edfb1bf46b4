using System.Net;
using RomanaAws.VpcSim.World;
using static RomanaAws.VpcSim.Ec2.Ec2Xml;

namespace RomanaAws.VpcSim.Ec2.Actions;

/// <summary>DescribeInstances, RunInstances, StopInstances, StartInstances, TerminateInstances.</summary>
internal static class InstanceActions
{
    public static IEnumerable<Ec2Action> All =>
    [
        new("DescribeInstances", ApiCategory.Describe, Describe),
        new("RunInstances", ApiCategory.Mutating, Run),
        new("StopInstances", ApiCategory.Mutating, (r, w) => Change(r, w, w.Stop)),
        new("StartInstances", ApiCategory.Mutating, (r, w) => Change(r, w, w.Start)),
        new("TerminateInstances", ApiCategory.Mutating, (r, w) => Change(r, w, w.Terminate)),
    ];

    /// <summary>Unfiltered DescribeInstances has its own, smaller throttling bucket in EC2.</summary>
    public static bool IsUnfiltered(QueryRequest request) =>
        request.Action == "DescribeInstances" && request.Indexed("Filter").Count == 0 && request.Indexed("InstanceId").Count == 0;

    private static object?[] Describe(QueryRequest request, SimWorld world)
    {
        var ids = request.List("InstanceId");
        if (ids.Count > 0 && request.Get("MaxResults") is not null)
        {
            throw new Ec2Exception("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        var instances = world.CurrentInstances().ToList();
        var missing = ids.FirstOrDefault(id => instances.All(i => i.Id != id));
        if (missing is not null)
        {
            throw new Ec2Exception("InvalidInstanceID.NotFound", $"The instance ID '{InputEcho.Of(missing)}' does not exist");
        }

        var matched = Filters.Apply(instances.Where(i => ids.Count == 0 || ids.Contains(i.Id)), request, (i, f) => f switch
        {
            "instance-id" => [i.Id],
            "instance-state-name" => [i.State.Name()],
            "instance-state-code" => [((int)i.State).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "vpc-id" => [i.Subnet.VpcId],
            "subnet-id" => [i.Subnet.Id],
            "availability-zone" => [i.Subnet.Zone],
            "private-ip-address" => [i.PrivateIp.ToString()],
            "network-interface.network-interface-id" => i.Interfaces.Select(e => e.Id),
            "instance-type" => [i.InstanceType],
            _ => Filters.TagFields(i.Tags, f),
        }).ToList();
        var (page, next) = Paging.Page(matched, request, 5, 1000);
        return
        [
            Set("reservationSet", page, i => [E("reservationId", "r-" + i.Id[2..]), E("ownerId", world.Settings.AccountId), E("groupSet"),
                Set("instancesSet", [i], x => InstanceXml.Item(world, x))]),
            next is null ? null : E("nextToken", next),
        ];
    }

    private static object?[] Run(QueryRequest request, SimWorld world)
    {
        var subnetId = request.Get("SubnetId") ?? throw Ec2Exception.Missing("SubnetId");
        if (!world.Subnets.TryGetValue(subnetId, out var subnet))
        {
            throw new Ec2Exception("InvalidSubnetID.NotFound", $"The subnet ID '{InputEcho.Of(subnetId)}' does not exist");
        }

        var min = request.Int("MinCount") ?? throw Ec2Exception.Missing("MinCount");
        var max = request.Int("MaxCount") ?? throw Ec2Exception.Missing("MaxCount");
        if (min < 1 || max < min)
        {
            throw Ec2Exception.Invalid("MinCount", min.ToString(System.Globalization.CultureInfo.InvariantCulture), "MinCount must be at least 1 and no more than MaxCount.");
        }

        // EC2: MaxCount is "between 1 and the maximum number you're allowed"; past the account's limit nothing is launched.
        var running = world.CurrentInstances().Count(i => i.State != InstanceState.Terminated);
        if (running + max > world.Settings.InstanceLimit)
        {
            throw new Ec2Exception("InstanceLimitExceeded", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"You have requested more instances ({max}) than your current instance limit of {world.Settings.InstanceLimit} allows ({running} in use). Request fewer, or raise instanceLimit in the scenario."));
        }

        IPAddress? ip = null;
        if (request.Get("PrivateIpAddress") is { } ipText && !IPAddress.TryParse(ipText, out ip))
        {
            throw Ec2Exception.Invalid("PrivateIpAddress", ipText, "Not an IPv4 address.");
        }

        if (ip is not null && max > 1)
        {
            throw new Ec2Exception("InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance.");
        }

        var tags = request.Indexed("TagSpecification")
            .Where(i => request.Get($"TagSpecification.{i}.ResourceType") == "instance")
            .SelectMany(i => request.Tags($"TagSpecification.{i}.Tag"))
            .ToList();
        if (subnet.AvailableIpAddressCount < min)
        {
            throw new Ec2Exception("InsufficientFreeAddressesInSubnet", $"There are not enough free addresses in subnet '{InputEcho.Of(subnetId)}' to satisfy the requested number of instances.");
        }

        SimWorld.DryRunCheck(request.Bool("DryRun"));
        var state = world.Settings.TransitionTime > TimeSpan.Zero ? InstanceState.Pending : InstanceState.Running;
        var launched = new List<SimInstance>();
        for (var n = 0; n < max; n++)
        {
            if (subnet.AvailableIpAddressCount == 0)
            {
                break;
            }

            var instance = world.AddInstance(null, subnet, ip, state, request.Get("ImageId") ?? "ami-00000000000000000", request.Get("InstanceType") ?? "m5.large");
            instance.Tags.SetAll(tags);
            if (state == InstanceState.Pending)
            {
                instance.Transition = (InstanceState.Running, world.Now + world.Settings.TransitionTime);
            }

            launched.Add(instance);
        }

        return
        [
            E("reservationId", "r-" + launched[0].Id[2..]), E("ownerId", world.Settings.AccountId), E("groupSet"),
            Set("instancesSet", launched, i => InstanceXml.Item(world, i)),
        ];
    }

    private static object?[] Change(QueryRequest request, SimWorld world, Func<string, bool, SimWorld.StateChange> change)
    {
        var ids = request.List("InstanceId");
        if (ids.Count == 0)
        {
            throw Ec2Exception.Missing("InstanceId");
        }

        foreach (var id in ids)
        {
            _ = world.Instance(id);
        }

        // Every instance must accept the change before any of them changes (EC2 answers all or nothing).
        var dryRun = request.Bool("DryRun");
        foreach (var id in ids)
        {
            try
            {
                change(id, true);
            }
            catch (Ec2Exception ex) when (ex.Code == "DryRunOperation")
            {
            }
        }

        var changes = ids.Select(id => change(id, dryRun)).ToList();
        return
        [
            Set("instancesSet", changes, c => [E("instanceId", c.InstanceId), InstanceXml.State("currentState", c.Current), InstanceXml.State("previousState", c.Previous)]),
        ];
    }
}
