using Amazon.EC2;
using Amazon.EC2.Model;

namespace RomanaAws.VpcSim.Tests.Ec2;

public sealed class RouteTableTests
{
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";

    [Fact]
    public async Task DescribeRouteTables_ByTag_ReturnsClusterTablesWithForeignRoutes()
    {
        await using var sim = await SimFixture.StartAsync();
        var response = await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest
        {
            Filters = [new Filter("tag:KubernetesCluster", ["demo.k8s.local"])],
        });
        Assert.Equal(["rtb-0a0a0a0a0a0a0a0a1", "rtb-0b0b0b0b0b0b0b0b1", "rtb-0c0c0c0c0c0c0c0c1"], response.RouteTables.Select(t => t.RouteTableId).Order());
        var a = response.RouteTables.Single(t => t.RouteTableId == TableA);
        var local = a.Routes.Single(r => r.GatewayId == "local");
        Assert.Equal("172.20.0.0/16", local.DestinationCidrBlock);
        Assert.Equal(RouteOrigin.CreateRouteTable, local.Origin);
        Assert.Equal("nat-0a0a0a0a0a0a0a0a0", a.Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0").NatGatewayId);
        var bastion = a.Routes.Single(r => r.DestinationCidrBlock == "10.99.0.0/16");
        Assert.Equal("i-0bbbbbbbbbbbbbbb0", bastion.InstanceId);
        Assert.StartsWith("eni-", bastion.NetworkInterfaceId, StringComparison.Ordinal);
        Assert.Equal(RouteState.Active, bastion.State);
        var association = Assert.Single(a.Associations);
        Assert.Equal("subnet-0a1a1a1a1a1a1a1a1", association.SubnetId);
        Assert.False(association.Main);
    }

    [Fact]
    public async Task CreateReplaceDeleteRoute_ThroughTheSdk()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.96.0.0/16", InstanceId = "i-0a000000000000002" });
        var route = await Route(sim, "100.96.0.0/16");
        Assert.Equal("i-0a000000000000002", route!.InstanceId);
        Assert.Equal(RouteOrigin.CreateRoute, route.Origin);

        await sim.Ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.96.0.0/16", InstanceId = "i-0a000000000000003" });
        Assert.Equal("i-0a000000000000003", (await Route(sim, "100.96.0.0/16"))!.InstanceId);

        await sim.Ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "100.96.0.0/16" });
        Assert.Null(await Route(sim, "100.96.0.0/16"));
    }

    private static async Task<Route?> Route(SimFixture sim, string destination)
    {
        var tables = await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableA] });
        return tables.RouteTables.Single().Routes.SingleOrDefault(r => r.DestinationCidrBlock == destination);
    }
}
