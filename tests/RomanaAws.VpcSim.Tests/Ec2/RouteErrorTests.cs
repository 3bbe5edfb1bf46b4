using System.Net;
using Amazon.EC2.Model;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.VpcSim.Tests.Ec2;

public sealed class RouteErrorTests
{
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";
    private const string NodeA1 = "i-0a000000000000002";

    private static CreateRouteRequest Create(string destination, string? instance = NodeA1, string table = TableA) =>
        new() { RouteTableId = table, DestinationCidrBlock = destination, InstanceId = instance };

    [Fact]
    public async Task CreateRoute_Existing_RouteAlreadyExists()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16"));
        var ex = await Ec2Assert.Fails("RouteAlreadyExists", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16")));
        Assert.Equal("The route identified by 100.96.0.0/16 already exists.", ex.Message);
        await Ec2Assert.Fails("RouteAlreadyExists", () => sim.Ec2.CreateRouteAsync(Create("0.0.0.0/0")));
    }

    [Fact]
    public async Task CreateRoute_PastTheLimit_RouteLimitExceeded_AndTableUnchanged()
    {
        await using var sim = await SimFixture.StartAsync(s => s.RouteTables.Single(t => t.Id == TableA).RouteLimit = 6);
        await sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16"));
        await sim.Ec2.CreateRouteAsync(Create("100.97.0.0/16"));
        await Ec2Assert.Fails("RouteLimitExceeded", () => sim.Ec2.CreateRouteAsync(Create("100.98.0.0/16")));
        var table = (await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableA] })).RouteTables.Single();
        Assert.Equal(6, table.Routes.Count);
    }

    [Fact]
    public async Task CreateRoute_UnknownResources_NotFoundCodes()
    {
        await using var sim = await SimFixture.StartAsync();
        var table = await Ec2Assert.Fails("InvalidRouteTableID.NotFound", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16", table: "rtb-00000000000000099")));
        Assert.Equal("The routeTable ID 'rtb-00000000000000099' does not exist", table.Message);
        var instance = await Ec2Assert.Fails("InvalidInstanceID.NotFound", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16", instance: "i-00000000000000099")));
        Assert.Equal("The instance ID 'i-00000000000000099' does not exist", instance.Message);
        await Ec2Assert.Fails("InvalidNetworkInterfaceID.NotFound", () => sim.Ec2.CreateRouteAsync(new CreateRouteRequest
        {
            RouteTableId = TableA,
            DestinationCidrBlock = "100.96.0.0/16",
            NetworkInterfaceId = "eni-00000000000000099",
        }));
        await Ec2Assert.Fails("MissingParameter", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16", instance: null)));
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.1/16")));
    }

    [Fact]
    public async Task CreateRoute_InstanceWithSeveralInterfaces_RejectedButItsPrimaryEniWorks()
    {
        await using var sim = await SimFixture.StartAsync();
        const string multi = "i-0a000000000000004";
        var ex = await Ec2Assert.Fails("InvalidInstanceID", () => sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16", instance: multi)));
        Assert.Equal($"There are multiple interfaces attached to instance '{multi}'. Please specify an interface ID for the operation instead.", ex.Message);
        var enis = await sim.Ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [new Filter("attachment.instance-id", [multi])] });
        Assert.Equal(2, enis.NetworkInterfaces.Count);
        var primary = enis.NetworkInterfaces.Single(e => e.Attachment.DeviceIndex == 0);
        await sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.96.0.0/16", NetworkInterfaceId = primary.NetworkInterfaceId });
        var route = (await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableA] })).RouteTables.Single().Routes.Single(r => r.DestinationCidrBlock == "100.96.0.0/16");
        Assert.Equal((multi, primary.NetworkInterfaceId), (route.InstanceId, route.NetworkInterfaceId));
    }

    [Fact]
    public async Task ReplaceAndDelete_MissingOrLocal_AnswerLikeAws()
    {
        await using var sim = await SimFixture.StartAsync();
        var replace = await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.99.0.0/16", InstanceId = NodeA1 }));
        Assert.Contains("There is no route defined for '100.99.0.0/16' in the route table. Use CreateRoute instead.", replace.Message, StringComparison.Ordinal);
        var delete = await Ec2Assert.Fails("InvalidRoute.NotFound", () => sim.Ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.99.0.0/16" }));
        Assert.Contains("100.99.0.0/16", delete.Message, StringComparison.Ordinal);
        var local = await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "172.20.0.0/16" }));
        Assert.Equal($"cannot remove local route 172.20.0.0/16 in route table {TableA}", local.Message);
        await Ec2Assert.Fails("InvalidParameterValue", () => sim.Ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "172.20.0.0/16", GatewayId = "igw-0123456789abcdef0" }));
    }

    [Fact]
    public async Task DryRun_WouldSucceed_Answers412_AndChangesNothing()
    {
        await using var sim = await SimFixture.StartAsync();
        var ex = await Ec2Assert.Fails("DryRunOperation", () => sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.96.0.0/16", InstanceId = NodeA1, DryRun = true }), HttpStatusCode.PreconditionFailed);
        Assert.Equal("Request would have succeeded, but DryRun flag is set.", ex.Message);
        await Ec2Assert.Fails("DryRunOperation", () => sim.Ec2.ModifyInstanceAttributeAsync(new ModifyInstanceAttributeRequest { InstanceId = NodeA1, SourceDestCheck = false, DryRun = true }), HttpStatusCode.PreconditionFailed);
        await Ec2Assert.Fails("RouteAlreadyExists", () => sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "0.0.0.0/0", InstanceId = NodeA1, DryRun = true }));
        var table = (await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableA] })).RouteTables.Single();
        Assert.DoesNotContain(table.Routes, r => r.DestinationCidrBlock == "100.96.0.0/16");
        var attribute = await sim.Ec2.DescribeInstanceAttributeAsync(new DescribeInstanceAttributeRequest { InstanceId = NodeA1, Attribute = "sourceDestCheck" });
        Assert.True(attribute.InstanceAttribute.SourceDestCheck);
    }

    [Fact]
    public async Task Unauthorized_ConfiguredPerAction_Answers403()
    {
        await using var sim = await SimFixture.StartAsync();
        sim.Simulator.Control.Faults = new FaultSettings { UnauthorizedActions = new HashSet<string> { "ReplaceRoute" } };
        var ex = await Ec2Assert.Fails("UnauthorizedOperation", () => sim.Ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "0.0.0.0/0", InstanceId = NodeA1, DryRun = true }), HttpStatusCode.Forbidden);
        Assert.Equal("You are not authorized to perform this operation.", ex.Message);
        await sim.Ec2.CreateRouteAsync(Create("100.96.0.0/16"));
    }
}
