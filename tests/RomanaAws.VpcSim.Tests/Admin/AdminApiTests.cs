using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.EC2.Model;

namespace RomanaAws.VpcSim.Tests.Admin;

public sealed class AdminApiTests
{
    [Fact]
    public async Task Admin_StopInstance_FaultsAndCounters_OverHttp()
    {
        await using var sim = await SimFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("instances/i-0b000000000000001/stop", null)).StatusCode);
        var state = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0b000000000000001"] })).Reservations[0].Instances[0].State.Name;
        Assert.Equal(Amazon.EC2.InstanceStateName.Stopped, state);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("instances/i-00000000000000042/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("instances/i-0b000000000000001/explode", null)).StatusCode);

        var faults = await http.PutAsJsonAsync("faults", new { failActions = new Dictionary<string, string> { ["DescribeVpcs"] = "InternalError" } });
        Assert.Equal(HttpStatusCode.NoContent, faults.StatusCode);
        await Ec2Assert.Fails("InternalError", () => sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest()), HttpStatusCode.InternalServerError);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync("faults", new { unauthorizedActions = new[] { "NoSuchAction" } })).StatusCode);
        await http.DeleteAsync("faults");
        await sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        using var calls = JsonDocument.Parse(await http.GetStringAsync("calls"));
        Assert.Equal(2, calls.RootElement.GetProperty("DescribeVpcs").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("reset", null)).StatusCode);
        state = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0b000000000000001"] })).Reservations[0].Instances[0].State.Name;
        Assert.Equal(Amazon.EC2.InstanceStateName.Running, state);
    }

    [Fact]
    public async Task HealthEndpoints_FollowInstanceStateAndInjectedFailure()
    {
        await using var sim = await SimFixture.StartAsync(s => s.HealthEndpoints = true);
        using var admin = new HttpClient { BaseAddress = sim.Simulator.AdminEndpoint };
        using var endpoints = JsonDocument.Parse(await admin.GetStringAsync("health-endpoints"));
        var url = new Uri(endpoints.RootElement.GetProperty("i-0b000000000000002").GetString()!);
        Assert.True(url.IsLoopback);
        Assert.False(endpoints.RootElement.TryGetProperty("i-0c000000000000003", out _)); // stopped: nothing listens

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        await admin.PutAsJsonAsync("instances/i-0b000000000000002/health", new { failing = true });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(url)).StatusCode);

        await sim.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-0b000000000000002"] });
        using (var tcp = new TcpClient())
        {
            await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, url.Port));
        }

        await admin.PutAsJsonAsync("instances/i-0b000000000000002/health", new { failing = false });
        await sim.Ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = ["i-0b000000000000002"] });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
    }
}
