using Amazon.EC2.Model;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Metrics;
using RomanaAws.Core.Routing;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.Controller.Tests.Health;

public sealed class FailoverTests
{
    private const string GroupA0 = "100.96.0.0/15"; // zone a, group 0: master-a (…01) and node-a2 (…03)

    [Fact]
    public async Task FailingAgent_FailsOverInEveryTable_WithTimes()
    {
        await using var rig = await FailoverRig.StartAsync();
        var first = await rig.PassAsync();
        var target = first.Desired.Single(d => d.Destination.ToString() == GroupA0).Target!;
        await rig.RoundsAsync(1);
        Assert.Equal(TargetHealth.Healthy, rig.Book.Get(target.InstanceId)!.State);

        rig.Fixture.Simulator.Control.SetHealthFailing(target.InstanceId, true);
        await rig.RoundsAsync(2);
        Assert.Equal(TargetHealth.Healthy, rig.Book.Get(target.InstanceId)!.State);
        await rig.RoundsAsync(1);
        Assert.Equal(TargetHealth.Failed, rig.Book.Get(target.InstanceId)!.State);

        var second = await rig.PassAsync();
        var failover = Assert.Single(second.Failovers);
        Assert.Equal((target.InstanceId, "i-0a000000000000003"), (failover.From, failover.To));
        Assert.Equal(3, failover.Tables.Count);
        Assert.Contains("probes failed", failover.Reason, StringComparison.Ordinal);
        Assert.True(failover.SwitchedAt >= failover.DetectedAt && failover.DetectedAt >= failover.LastHealthyAt);
        Assert.NotEqual(target.NetworkInterfaceId, rig.TargetEni(GroupA0));
    }

    [Fact]
    public async Task TwentyPercentProbeLoss_NoFalseFailover()
    {
        await using var rig = await FailoverRig.StartAsync();
        await rig.PassAsync();
        rig.Fixture.Simulator.Control.HealthDropRate = 0.2;
        for (var i = 0; i < 6; i++)
        {
            await rig.RoundsAsync(5);
            var pass = await rig.PassAsync();
            Assert.Empty(pass.Failovers);
        }

        // node-c3 is stopped in the scenario; every running host must still be trusted.
        Assert.All(rig.Book.All.Where(h => h.Key != "i-0c000000000000003").Select(h => h.Value), h => Assert.Equal(TargetHealth.Healthy, h.State));
        Assert.Equal(0, rig.Status.FailoverCount);
    }

    [Fact]
    public async Task NoHealthyCandidate_LeavesTheRoute_ThenMovesWhenOneRecovers()
    {
        await using var rig = await FailoverRig.StartAsync();
        await rig.PassAsync();
        var before = rig.TargetEni(GroupA0);
        await rig.Fixture.Simulator.Control.StopInstanceAsync("i-0a000000000000001");
        await rig.Fixture.Simulator.Control.StopInstanceAsync("i-0a000000000000003");
        await rig.RoundsAsync(3);
        var stuck = await rig.PassAsync();
        Assert.Empty(stuck.Errors);
        Assert.Equal(TargetChoice.NoHealthyTarget, stuck.Desired.Single(d => d.Destination.ToString() == GroupA0).Choice);
        Assert.Equal(1, stuck.NoHealthyTargetGroups);
        Assert.Equal(before, rig.TargetEni(GroupA0));

        await rig.Fixture.Simulator.Control.StartInstanceAsync("i-0a000000000000003");
        await rig.RoundsAsync(5);
        var moved = await rig.PassAsync();
        Assert.Equal("i-0a000000000000003", Assert.Single(moved.Failovers).To);
    }

    [Fact]
    public async Task Recovery_DoesNotMoveTheRouteBack()
    {
        await using var rig = await FailoverRig.StartAsync();
        await rig.PassAsync();
        rig.Fixture.Simulator.Control.SetHealthFailing("i-0a000000000000001", true);
        await rig.RoundsAsync(3);
        await rig.PassAsync();
        var moved = rig.TargetEni(GroupA0);
        rig.Fixture.Simulator.Control.SetHealthFailing("i-0a000000000000001", false);
        await rig.RoundsAsync(5);
        Assert.Equal(TargetHealth.Healthy, rig.Book.Get("i-0a000000000000001")!.State);
        var after = await rig.PassAsync();
        Assert.True(after.Plan.IsConverged);
        Assert.Equal(moved, rig.TargetEni(GroupA0));
    }

    [Fact]
    public async Task StoppedTarget_UnderThrottling_StillFailsOver()
    {
        await using var rig = await FailoverRig.StartAsync();
        await rig.PassAsync();
        rig.Fixture.Simulator.Control.Faults = new FaultSettings { ThrottleRate = 0.3 };
        await rig.Fixture.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-0a000000000000001"] });
        for (var pass = 0; pass < 5 && rig.Status.FailoverCount == 0; pass++)
        {
            await rig.RoundsAsync(1);
            await rig.PassAsync();
        }

        rig.Fixture.Simulator.Control.Faults = FaultSettings.None;
        Assert.Equal(1, rig.Status.FailoverCount);
        Assert.Equal("i-0a000000000000003", rig.Status.RecentFailovers.Single().To);
    }

    [Fact]
    public async Task Failover_PublishesMetrics_AndTheAlarmFires()
    {
        await using var rig = await FailoverRig.StartAsync();
        using var cloudWatch = new CloudWatchQueryClient(new CloudWatchClientOptions { Region = "us-east-1", ServiceUrl = rig.Fixture.Simulator.Endpoint, Credentials = new Amazon.Runtime.BasicAWSCredentials("t", "t") });
        await cloudWatch.PutMetricAlarmAsync(Alarms.RouteFailover("demo.k8s.local", "failover"), CancellationToken.None);
        using var publisher = new MetricsPublisher(cloudWatch, rig.Status, rig.Fixture.Reconciler, rig.Book, new MetricsSettings(), "demo.k8s.local", TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MetricsPublisher>.Instance);

        await rig.PassAsync();
        await publisher.PublishAsync(CancellationToken.None);
        Assert.Equal("OK", (await cloudWatch.DescribeAlarmsAsync(["failover"], CancellationToken.None)).Single().StateValue);

        await rig.Fixture.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = ["i-0a000000000000001"] });
        await rig.RoundsAsync(1);
        await rig.PassAsync();
        await publisher.PublishAsync(CancellationToken.None);
        Assert.Equal("ALARM", (await cloudWatch.DescribeAlarmsAsync(["failover"], CancellationToken.None)).Single().StateValue);
        var names = (await cloudWatch.ListMetricsAsync(MetricNames.DefaultNamespace, null, CancellationToken.None)).Select(m => m.Name).Distinct().Order().ToList();
        Assert.Equal(MetricNames.All.Order(), names);
    }
}
