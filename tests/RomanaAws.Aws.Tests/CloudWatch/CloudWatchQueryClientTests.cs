using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Aws.CloudWatch;

namespace RomanaAws.Aws.Tests.CloudWatch;

/// <summary>The CloudWatch client (AWSSDK.Core credentials + SigV4 handler) against the simulator, which checks every signature.</summary>
public sealed class CloudWatchQueryClientTests
{
    private static readonly Dimension[] Cluster = [new("ClusterName", "demo.k8s.local")];

    [Fact]
    public async Task PutListAndGetStatistics_RoundTrip()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:30Z", CultureInfo.InvariantCulture));
        await using var scope = await SimulatorScope.StartAsync(clock);
        using var client = scope.CloudWatch();
        var at = clock.GetUtcNow();
        await client.PutMetricDataAsync("RomanaAws", [
            new MetricSample("RouteFailovers", 1, "Count", Cluster, at),
            new MetricSample("RouteFailovers", 2, "Count", Cluster, at),
            new MetricSample("ManagedRoutes", 14, "Count", Cluster, at),
        ], CancellationToken.None);

        var metrics = await client.ListMetricsAsync("RomanaAws", null, CancellationToken.None);
        Assert.Equal(["ManagedRoutes", "RouteFailovers"], metrics.Select(m => m.Name).Order());
        Assert.All(metrics, m => Assert.Equal(Cluster, m.Dimensions));

        var points = await client.GetMetricStatisticsAsync("RomanaAws", "RouteFailovers", Cluster, at.AddMinutes(-5), at.AddMinutes(5), 60, ["Sum", "SampleCount", "Maximum"], CancellationToken.None);
        var point = Assert.Single(points);
        Assert.Equal(3, point.Values["Sum"]);
        Assert.Equal(2, point.Values["SampleCount"]);
        Assert.Equal(2, point.Values["Maximum"]);
        Assert.Equal("Count", point.Unit);
    }

    [Fact]
    public async Task Alarm_FiresOnAFailoverMetric_AndClearsWhenQuiet()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", CultureInfo.InvariantCulture));
        await using var scope = await SimulatorScope.StartAsync(clock);
        using var client = scope.CloudWatch();
        await client.PutMetricAlarmAsync(new MetricAlarmDefinition
        {
            AlarmName = "romana-route-failover",
            Namespace = "RomanaAws",
            MetricName = "RouteFailovers",
            Dimensions = Cluster,
            Statistic = "Sum",
            PeriodSeconds = 60,
            EvaluationPeriods = 1,
            Threshold = 1,
            ComparisonOperator = "GreaterThanOrEqualToThreshold",
            TreatMissingData = "notBreaching",
        }, CancellationToken.None);
        Assert.Equal("OK", (await Alarm(client)).StateValue);

        await client.PutMetricDataAsync("RomanaAws", [new MetricSample("RouteFailovers", 1, "Count", Cluster, clock.GetUtcNow())], CancellationToken.None);
        var fired = await Alarm(client);
        Assert.Equal("ALARM", fired.StateValue);
        Assert.Contains("Threshold Crossed", fired.StateReason, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("OK", (await Alarm(client)).StateValue);
    }

    [Fact]
    public async Task Errors_AreTyped()
    {
        await using var scope = await SimulatorScope.StartAsync();
        using var client = scope.CloudWatch();
        var reserved = await Assert.ThrowsAsync<CloudWatchException>(() => client.PutMetricDataAsync("AWS/EC2", [new MetricSample("X", 1, "Count", [])], CancellationToken.None));
        Assert.Equal(("InvalidParameterValue", HttpStatusCode.BadRequest, false), (reserved.Code, reserved.Status, reserved.IsTransient));
        Assert.False(string.IsNullOrEmpty(reserved.RequestId));
        var period = await Assert.ThrowsAsync<CloudWatchException>(() => client.PutMetricAlarmAsync(new MetricAlarmDefinition
        {
            AlarmName = "a",
            Namespace = "RomanaAws",
            MetricName = "X",
            Statistic = "Sum",
            PeriodSeconds = 45,
            EvaluationPeriods = 1,
            Threshold = 1,
            ComparisonOperator = "GreaterThanThreshold",
        }, CancellationToken.None));
        Assert.Equal("InvalidParameterValue", period.Code);
    }

    [Fact]
    public async Task Signatures_AreVerified_ForOurClientAndTheSdks()
    {
        await using var scope = await SimulatorScope.StartAsync();
        using var wrong = scope.CloudWatch(secret: "not-the-secret");
        var ex = await Assert.ThrowsAsync<CloudWatchException>(() => wrong.ListMetricsAsync(null, null, CancellationToken.None));
        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (ex.Code, ex.Status));

        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials(SimulatorScope.AccessKey, SimulatorScope.SecretKey),
            new AmazonEC2Config { ServiceURL = scope.Simulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        Assert.NotEmpty((await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", ["vpc-0a0a0a0a0a0a0a0a0"])] })).RouteTables);
        using var forged = new AmazonEC2Client(new BasicAWSCredentials(SimulatorScope.AccessKey, "forged"),
            new AmazonEC2Config { ServiceURL = scope.Simulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var denied = await Assert.ThrowsAsync<AmazonEC2Exception>(() => forged.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal(("AuthFailure", HttpStatusCode.Unauthorized), (denied.ErrorCode, denied.StatusCode));
    }

    private static async Task<AlarmStatus> Alarm(CloudWatchQueryClient client) =>
        Assert.Single(await client.DescribeAlarmsAsync(["romana-route-failover"], CancellationToken.None));
}
