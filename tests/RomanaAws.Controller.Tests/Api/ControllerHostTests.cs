using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Tests.Api;

public sealed class ControllerHostTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Host_ServesHealthReadinessRoutesIpamAndMetrics()
    {
        await using var f = await ControllerFixture.StartAsync();
        var port = FreePort();
        var config = ControllerConfig.Load(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"), [$"--controller:listen=127.0.0.1:{port}", $"--controller:stateFile={f.StatePath}"]);
        await using var app = ControllerHost.Build(config, new ControllerHostOptions { Ec2 = f.Api });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetAsync("readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "not ready within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        using var routes = JsonDocument.Parse(await http.GetStringAsync("v1/routes"));
        Assert.True(routes.RootElement.GetProperty("inSync").GetBoolean());
        var table = routes.RootElement.GetProperty("tables")[0];
        Assert.Equal("10/50 (headroom 5)", table.GetProperty("budget").GetString());
        var route = table.GetProperty("routes")[0];
        Assert.Equal("us-east-1a", route.GetProperty("zone").GetString());
        Assert.Equal("healthy", route.GetProperty("targetHealth").GetString());
        using var ipam = JsonDocument.Parse(await http.GetStringAsync("v1/ipam"));
        Assert.Equal(6, ipam.RootElement.GetProperty("routesPerTable").GetInt32());
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("romana_managed_routes{cluster=\"demo.k8s.local\"} 18", metrics, StringComparison.Ordinal);
        Assert.Contains("romana_route_budget_headroom{cluster=\"demo.k8s.local\"} 35", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("v1/reconcile", null)).StatusCode);

        // The node agents' contract: this node's group CIDRs and its same-subnet peers.
        using var agent = JsonDocument.Parse(await http.GetStringAsync("v1/agents/i-0a000000000000001"));
        Assert.Equal("romana-aws/agent-desired/v1", agent.RootElement.GetProperty("schema").GetString());
        Assert.Equal("100.96.0.0/15", agent.RootElement.GetProperty("groups")[0].GetString());
        Assert.Equal(["i-0a000000000000002", "i-0a000000000000003", "i-0a000000000000004"],
            agent.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("instanceId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v1/agents/i-00000000000000099")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Host_ManagingNothing_NotReadyAndSaysWhy()
    {
        await using var f = await ControllerFixture.StartAsync();
        var port = FreePort();
        var config = ControllerConfig.Load(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"),
            [$"--controller:listen=127.0.0.1:{port}", $"--controller:stateFile={f.StatePath}", "--controller:vpcId=vpc-0000000000000dead"]);
        await using var app = ControllerHost.Build(config, new ControllerHostOptions { Ec2 = f.Api });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var ready = await http.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            if ((await ready.Content.ReadAsStringAsync()).Contains("controller.vpcId vpc-0000000000000dead: EC2 lists no route table in it", StringComparison.Ordinal))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "/readyz gave no reason within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
        await app.StopAsync();
    }

    [Fact]
    public void Load_InvalidSwitches_RefusedListingAll()
    {
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"), ["--controller:resyncSeconds=1", "--aws:maxConcurrency=0"]));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith("controller.resyncSeconds (command line", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith("aws.maxConcurrency (command line", StringComparison.Ordinal));
    }

    private sealed class NoEc2 : RomanaAws.Aws.Ec2.IEc2Api
    {
        public Task<IReadOnlyList<InstanceSnapshot>> DescribeClusterInstancesAsync(string clusterName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<RouteTableSnapshot>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<InstanceStatusSnapshot>> DescribeInstanceStatusAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateRouteAsync(string routeTableId, Core.Net.Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ReplaceRouteAsync(string routeTableId, Core.Net.Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteRouteAsync(string routeTableId, Core.Net.Cidr destination, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DisableSourceDestCheckAsync(string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
