using Amazon.EC2;
using Amazon.EC2.Model;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.VpcSim.Tests.Ec2;

public sealed class DescribeTests
{
    private const string Cluster = "demo.k8s.local";

    /// <summary>Past DescribeRouteTables' maximum of 100 (a field, so the SDK's analyzer does not refuse it at compile time).</summary>
    private static readonly int TooMany = 101;

    [Fact]
    public async Task DescribeVpcsSubnetsZones_ReturnTheScenario()
    {
        await using var sim = await SimFixture.StartAsync();
        var vpc = Assert.Single((await sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs);
        Assert.Equal(("vpc-0a0a0a0a0a0a0a0a0", "172.20.0.0/16"), (vpc.VpcId, vpc.CidrBlock));
        var subnets = await sim.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("availability-zone", ["us-east-1a"])] });
        Assert.Equal(["subnet-0a1a0a1a0a1a0a1a0", "subnet-0a1a1a1a1a1a1a1a1"], subnets.Subnets.Select(s => s.SubnetId).Order());
        var privateA = subnets.Subnets.Single(s => s.SubnetId == "subnet-0a1a1a1a1a1a1a1a1");
        Assert.Equal(8192 - 5 - 5, privateA.AvailableIpAddressCount);
        Assert.Equal("use1-az1", privateA.AvailabilityZoneId);
        var zones = await sim.Ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest());
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], zones.AvailabilityZones.Select(z => z.ZoneName));
        Assert.All(zones.AvailabilityZones, z => Assert.Equal("us-east-1", z.RegionName));
    }

    [Theory]
    [InlineData("vpc-id", "vpc-0a0a0a0a0a0a0a0a0", 4)]
    [InlineData("route-table-id", "rtb-0b0b0b0b0b0b0b0b1", 1)]
    [InlineData("association.subnet-id", "subnet-0c1c1c1c1c1c1c1c1", 1)]
    [InlineData("association.main", "true", 1)]
    [InlineData("association.main", "false", 3)]
    [InlineData("tag:KubernetesCluster", Cluster, 3)]
    [InlineData("tag:KubernetesCluster", "demo.*", 3)]
    [InlineData("tag-key", "Name", 3)]
    [InlineData("tag:KubernetesCluster", "other", 0)]
    public async Task DescribeRouteTables_EachFilter(string name, string value, int expected)
    {
        await using var sim = await SimFixture.StartAsync();
        var tables = await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter(name, [value])] });
        Assert.Equal(expected, tables.RouteTables?.Count ?? 0);
    }

    [Fact]
    public async Task DescribeRouteTables_FiltersAnd_ValuesOr_UnknownFilterRefused()
    {
        await using var sim = await SimFixture.StartAsync();
        var either = await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest
        {
            Filters = [new Filter("route-table-id", ["rtb-0a0a0a0a0a0a0a0a1", "rtb-0000000000000000a"]), new Filter("association.main", ["false"])],
        });
        Assert.Equal("rtb-0a0a0a0a0a0a0a0a1", Assert.Single(either.RouteTables).RouteTableId);
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter("no-such-filter", ["x"])] }));
    }

    [Fact]
    public async Task DescribeRouteTables_Pages()
    {
        await using var sim = await SimFixture.StartAsync(s =>
        {
            for (var i = 0; i < 8; i++)
            {
                s.RouteTables.Add(new RouteTableSpec { Name = $"extra-{i}" });
            }
        });
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { MaxResults = 5, NextToken = token });
            seen.AddRange(page.RouteTables.Select(t => t.RouteTableId));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(12, seen.Distinct().Count());
        var tooMany = TooMany;
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { MaxResults = tooMany }));
    }

    [Theory]
    [InlineData("tag:KubernetesCluster", Cluster, 10)]
    [InlineData("tag:kubernetes.io/cluster/demo.k8s.local", "owned", 10)]
    [InlineData("instance-state-name", "running", 10)]
    [InlineData("instance-state-name", "stopped", 1)]
    [InlineData("availability-zone", "us-east-1b", 3)]
    [InlineData("vpc-id", "vpc-0a0a0a0a0a0a0a0a0", 11)]
    [InlineData("instance-id", "i-0c000000000000003", 1)]
    public async Task DescribeInstances_EachFilter(string name, string value, int expected)
    {
        await using var sim = await SimFixture.StartAsync();
        var response = await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter(name, [value])] });
        Assert.Equal(expected, response.Reservations?.Sum(r => r.Instances.Count) ?? 0);
    }

    [Fact]
    public async Task DescribeInstances_ShapeAndPaging()
    {
        await using var sim = await SimFixture.StartAsync();
        var one = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0a000000000000004"] })).Reservations.Single().Instances.Single();
        Assert.Equal(("subnet-0a1a1a1a1a1a1a1a1", "vpc-0a0a0a0a0a0a0a0a0", "172.20.32.13", "us-east-1a"), (one.SubnetId, one.VpcId, one.PrivateIpAddress, one.Placement.AvailabilityZone));
        Assert.True(one.SourceDestCheck);
        Assert.Equal([0, 1], one.NetworkInterfaces.Select(n => n.Attachment.DeviceIndex ?? -1).Order());
        Assert.Contains(one.Tags, t => t.Key == "KubernetesCluster" && t.Value == Cluster);

        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = 5, NextToken = token });
            all.AddRange(page.Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId));
            token = page.NextToken;
        }
        while (token is not null);
        Assert.Equal(11, all.Distinct().Count());
        var combo = await Ec2Assert.Fails("InvalidParameterCombination", () => sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0a000000000000004"], MaxResults = 5 }));
        Assert.Equal("The parameter instancesSet cannot be used with the parameter maxResults", combo.Message);
        await Ec2Assert.Fails("InvalidInstanceID.NotFound", () => sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-00000000000000077"] }));
    }

    [Fact]
    public async Task DescribeInstanceStatus_RunningOnly_ImpairedAndEvents()
    {
        await using var sim = await SimFixture.StartAsync();
        sim.Simulator.Control.SetStatus("i-0b000000000000002", impaired: true, scheduledEvent: "system-maintenance");
        var running = await sim.Ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest());
        Assert.Equal(10, running.InstanceStatuses.Count);
        var impaired = running.InstanceStatuses.Single(s => s.InstanceId == "i-0b000000000000002");
        Assert.Equal(SummaryStatus.Impaired, impaired.SystemStatus.Status);
        Assert.Equal(EventCode.SystemMaintenance, Assert.Single(impaired.Events).Code);
        Assert.Equal(SummaryStatus.Ok, running.InstanceStatuses.Single(s => s.InstanceId == "i-0b000000000000001").Status.Status);
        var all = await sim.Ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { IncludeAllInstances = true });
        Assert.Equal(InstanceStateName.Stopped, all.InstanceStatuses.Single(s => s.InstanceId == "i-0c000000000000003").InstanceState.Name);
    }

    [Fact]
    public async Task SourceDestCheck_ModifiedAndDescribed()
    {
        await using var sim = await SimFixture.StartAsync();
        const string id = "i-0c000000000000001";
        await sim.Ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = id, SourceDestCheck = false });
        Assert.False((await sim.Ec2.DescribeInstanceAttributeAsync(new DescribeInstanceAttributeRequest { InstanceId = id, Attribute = InstanceAttributeName.SourceDestCheck })).InstanceAttribute.SourceDestCheck);
        var instance = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] })).Reservations[0].Instances[0];
        Assert.False(instance.SourceDestCheck);
        var eni = await sim.Ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [new Filter("attachment.instance-id", [id])] });
        Assert.False(Assert.Single(eni.NetworkInterfaces).SourceDestCheck);
    }

    [Fact]
    public async Task SourceDestCheck_SeveralEnis_OnlyPerInterface()
    {
        await using var sim = await SimFixture.StartAsync();
        const string multi = "i-0a000000000000004";
        await Ec2Assert.Fails("InvalidInstanceID", () => sim.Ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = multi, SourceDestCheck = false }));
        var enis = await sim.Ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [new Filter("attachment.instance-id", [multi])] });
        var primary = enis.NetworkInterfaces.Single(e => e.Attachment.DeviceIndex == 0);
        await sim.Ec2.ModifyNetworkInterfaceAttributeAsync(new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = primary.NetworkInterfaceId, SourceDestCheck = false });
        var after = await sim.Ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [primary.NetworkInterfaceId] });
        Assert.False(after.NetworkInterfaces.Single().SourceDestCheck);
        Assert.False((await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [multi] })).Reservations[0].Instances[0].SourceDestCheck);
    }

    [Fact]
    public async Task Tags_CreateAndDescribe()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.CreateTagsAsync(new CreateTagsRequest { Resources = ["i-0a000000000000002", "rtb-0a0a0a0a0a0a0a0a1"], Tags = [new Tag("romana/drain", "true")] });
        var tags = await sim.Ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("key", ["romana/drain"])] });
        Assert.Equal([("i-0a000000000000002", "instance"), ("rtb-0a0a0a0a0a0a0a0a1", "route-table")], tags.Tags.Select(t => (t.ResourceId, t.ResourceType.Value)).Order());
        var drained = await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag:romana/drain", ["true"])] });
        Assert.Equal("i-0a000000000000002", drained.Reservations.Single().Instances.Single().InstanceId);
        await Ec2Assert.Fails("InvalidInstanceID.NotFound", () => sim.Ec2.CreateTagsAsync(new CreateTagsRequest { Resources = ["i-00000000000000066"], Tags = [new Tag("a", "b")] }));
    }

    [Fact]
    public async Task RunStopStartTerminate_ReportStates()
    {
        await using var sim = await SimFixture.StartAsync();
        var run = await sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = "subnet-0c1c1c1c1c1c1c1c1", MinCount = 2, MaxCount = 2, ImageId = "ami-0abcdef1234567890" });
        Assert.Equal(2, run.Reservation.Instances.Count);
        Assert.All(run.Reservation.Instances, i => Assert.StartsWith("172.20.96.", i.PrivateIpAddress, StringComparison.Ordinal));
        var ids = run.Reservation.Instances.Select(i => i.InstanceId).ToList();
        var terminate = await sim.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ids });
        Assert.All(terminate.TerminatingInstances, c => Assert.Equal(InstanceStateName.Terminated, c.CurrentState.Name));
        await Ec2Assert.Fails("InvalidSubnetID.NotFound", () => sim.Ec2.RunInstancesAsync(new RunInstancesRequest { SubnetId = "subnet-00000000000000055", MinCount = 1, MaxCount = 1 }));
    }
}
