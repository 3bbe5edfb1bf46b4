using System.Globalization;
using System.Net;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.VpcSim.Tests.Ec2;

public sealed class ThrottlingAndFaultTests
{
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";

    private static FakeTimeProvider Clock() => new(DateTimeOffset.Parse("2026-11-23T12:00:00Z", CultureInfo.InvariantCulture));

    private static CreateRouteRequest Route(int i) =>
        new() { RouteTableId = TableA, DestinationCidrBlock = $"100.{64 + (i / 256)}.{i % 256}.0/24", InstanceId = "i-0a000000000000002" };

    [Fact]
    public async Task MutatingBucket_50ThenThrottled_RefillsAt5PerSecond()
    {
        var clock = Clock();
        await using var sim = await SimFixture.StartAsync(s => s.RouteTables.Single(t => t.Id == TableA).RouteLimit = 1000, clock);
        for (var i = 0; i < 50; i++)
        {
            await sim.Ec2.CreateRouteAsync(Route(i));
        }

        var ex = await Ec2Assert.Fails("RequestLimitExceeded", () => sim.Ec2.CreateRouteAsync(Route(50)), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Request limit exceeded.", ex.Message);
        await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest());
        clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 51; i < 56; i++)
        {
            await sim.Ec2.CreateRouteAsync(Route(i));
        }

        await Ec2Assert.Fails("RequestLimitExceeded", () => sim.Ec2.CreateRouteAsync(Route(56)), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(57, sim.Simulator.Control.Calls["CreateRoute"]);
    }

    [Fact]
    public async Task DescribeBucket_100_UnfilteredDescribeInstances_50()
    {
        var clock = Clock();
        await using var sim = await SimFixture.StartAsync(time: clock);
        for (var i = 0; i < 50; i++)
        {
            await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        }

        await Ec2Assert.Fails("RequestLimitExceeded", () => sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest()), HttpStatusCode.ServiceUnavailable);
        for (var i = 0; i < 100; i++)
        {
            await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("instance-state-name", ["running"])] });
        }

        await Ec2Assert.Fails("RequestLimitExceeded", () => sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest()), HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Throttling_CanBeSwitchedOff()
    {
        await using var sim = await SimFixture.StartAsync(s =>
        {
            s.Throttling.Enabled = false;
            s.RouteTables.Single(t => t.Id == TableA).RouteLimit = 1000;
        });
        for (var i = 0; i < 80; i++)
        {
            await sim.Ec2.CreateRouteAsync(Route(i));
        }
    }

    [Fact]
    public async Task SdkRetries_RecoverFromInjectedThrottlingOnceItStops()
    {
        await using var sim = await SimFixture.StartAsync();
        using var retrying = SimFixture.Client(sim.Simulator.Endpoint, maxErrorRetry: 3);
        sim.Simulator.Control.Faults = new FaultSettings { FailActions = new Dictionary<string, string> { ["DescribeVpcs"] = "RequestLimitExceeded" } };
        await Ec2Assert.Fails("RequestLimitExceeded", () => retrying.DescribeVpcsAsync(new DescribeVpcsRequest()), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(4, sim.Simulator.Control.Calls["DescribeVpcs"]);
        sim.Simulator.Control.Faults = FaultSettings.None;
        Assert.Single((await retrying.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs);
    }

    [Fact]
    public async Task Faults_ServerErrorsAndFailedAction()
    {
        await using var sim = await SimFixture.StartAsync();
        sim.Simulator.Control.Faults = new FaultSettings { ServerErrorRate = 1 };
        var ex = await Assert.ThrowsAsync<Amazon.EC2.AmazonEC2Exception>(() => sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Contains(ex.ErrorCode, new[] { "InternalError", "Unavailable" });
        Assert.True((int)ex.StatusCode >= 500);

        sim.Simulator.Control.Faults = new FaultSettings { ThrottleRate = 1 };
        await Ec2Assert.Fails("RequestLimitExceeded", () => sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest()), HttpStatusCode.ServiceUnavailable);

        sim.Simulator.Control.Faults = new FaultSettings { FailActions = new Dictionary<string, string> { ["ReplaceRoute"] = "InternalError" } };
        await sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await Ec2Assert.Fails("InternalError", () => sim.Ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = TableA, DestinationCidrBlock = "10.99.0.0/16", InstanceId = "i-0a000000000000002" }), HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Faults_LatencyFollowsTheSimulatorClock()
    {
        var clock = Clock();
        await using var sim = await SimFixture.StartAsync(time: clock);
        sim.Simulator.Control.Faults = new FaultSettings { Latency = TimeSpan.FromSeconds(5) };
        var call = sim.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await WaitUntil(() => sim.Simulator.Control.Calls.GetValueOrDefault("DescribeVpcs") == 1);
        Assert.False(call.IsCompleted);

        // The call is counted before its delay starts on the fake clock: advance until the delay, wherever it began,
        // has run out (a single Advance could land before the timer exists on a loaded machine).
        for (var step = 0; step < 100 && !call.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System));
        }

        Assert.Single((await call.WaitAsync(TimeSpan.FromSeconds(10))).Vpcs);
    }

    [Fact]
    public async Task Counters_CountEveryCall_AndReset()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest());
        await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest());
        await Ec2Assert.Fails("InvalidRouteTableID.NotFound", () => sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = ["rtb-00000000000000001"] }));
        Assert.Equal(3, sim.Simulator.Control.Calls["DescribeRouteTables"]);
        sim.Simulator.Control.ResetCalls();
        Assert.Empty(sim.Simulator.Control.Calls);
    }

    [Fact]
    public async Task ParallelRouteWrites_OneTable_StayConsistent()
    {
        await using var sim = await SimFixture.StartAsync(s =>
        {
            s.Throttling.Enabled = false;
            s.RouteTables.Single(t => t.Id == TableA).RouteLimit = 40;
        });
        // 60 distinct destinations, each written twice at once, against a limit of 40 routes (4 exist already).
        var attempts = Enumerable.Range(0, 60).SelectMany(i => new[] { i, i }).Select(async i =>
        {
            try
            {
                await sim.Ec2.CreateRouteAsync(Route(i));
                return "ok";
            }
            catch (Amazon.EC2.AmazonEC2Exception ex)
            {
                return ex.ErrorCode;
            }
        });
        var results = await Task.WhenAll(attempts);
        Assert.Equal(36, results.Count(r => r == "ok"));
        Assert.All(results.Where(r => r != "ok"), r => Assert.Contains(r, new[] { "RouteAlreadyExists", "RouteLimitExceeded" }));
        var table = (await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableA] })).RouteTables.Single();
        Assert.Equal(40, table.Routes.Count);
        Assert.Equal(40, table.Routes.Select(r => r.DestinationCidrBlock).Distinct().Count());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
