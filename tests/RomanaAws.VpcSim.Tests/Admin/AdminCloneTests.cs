using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.EC2.Model;

namespace RomanaAws.VpcSim.Tests.Admin;

public sealed class AdminCloneTests
{
    [Fact]
    public async Task Clone_LaunchesALikeInstanceInTheSameSubnet_SeenThroughTheSdk()
    {
        await using var sim = await SimFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        var answer = await http.PostAsync("instances/i-0b000000000000001/clone", null);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetString()!;
        Assert.Matches("^i-[0-9a-f]{17}$", id);

        var source = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0b000000000000001"] })).Reservations[0].Instances[0];
        var clone = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] })).Reservations[0].Instances[0];
        Assert.Equal(source.SubnetId, clone.SubnetId);
        Assert.Equal(body.RootElement.GetProperty("privateIp").GetString(), clone.PrivateIpAddress);
        Assert.NotEqual(source.PrivateIpAddress, clone.PrivateIpAddress);
        Assert.Equal(source.Tags.Select(t => (t.Key, t.Value)), clone.Tags.Select(t => (t.Key, t.Value)));
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("instances/i-00000000000000042/clone", null)).StatusCode);
    }

    [Fact]
    public async Task Dataplane_ChangedAt_MovesOnWritesOnly()
    {
        await using var sim = await SimFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var before = (await http.GetFromJsonAsync<Dataplane.VpcDataplane>("dataplane", json))!.ChangedAt;

        await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest());
        Assert.Equal(before, (await http.GetFromJsonAsync<Dataplane.VpcDataplane>("dataplane", json))!.ChangedAt);

        await sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = "rtb-0b0b0b0b0b0b0b0b1", DestinationCidrBlock = "100.64.0.0/24", InstanceId = "i-0b000000000000001" });
        var afterRoute = (await http.GetFromJsonAsync<Dataplane.VpcDataplane>("dataplane", json))!.ChangedAt;
        Assert.NotNull(afterRoute);
        Assert.True(before is null || afterRoute > before);

        await http.PostAsync("instances/i-0b000000000000002/stop", null);
        Assert.True((await http.GetFromJsonAsync<Dataplane.VpcDataplane>("dataplane", json))!.ChangedAt >= afterRoute);
    }
}
