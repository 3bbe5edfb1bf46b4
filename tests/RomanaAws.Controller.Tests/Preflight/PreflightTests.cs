using Amazon.EC2.Model;
using Amazon.Runtime;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Controller.Metrics;
using RomanaAws.Controller.Preflight;
using RomanaAws.Core.Preflight;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.Controller.Tests.Preflight;

/// <summary><c>romana-aws preflight</c>'s checks against the simulator over HTTP: a ready account, denied permissions, full tables.</summary>
public sealed class PreflightTests
{
    private static async Task<IReadOnlyList<PreflightCheck>> RunAsync(ControllerFixture fixture, Core.Topology.TopologyConfig? topology = null)
    {
        using var cloudWatch = new CloudWatchQueryClient(new CloudWatchClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = fixture.Simulator.Endpoint,
            Credentials = new BasicAWSCredentials("test", "test"),
        });
        return await PreflightRunner.RunAsync(topology ?? fixture.Topology, fixture.Settings, MetricNames.DefaultNamespace, fixture.Api, cloudWatch, _ => Task.CompletedTask, CancellationToken.None);
    }

    [Fact]
    public async Task ReadyAccount_EveryCheckPasses_AndNothingChanges()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var before = fixture.Simulator.Control.Routes();
        var checks = await RunAsync(fixture);
        Assert.All(checks, c => Assert.True(c.Ok, $"{c.Name}: {c.Detail}"));
        Assert.Equal(
            ["cloudwatch:PutMetricData", "ec2:CreateRoute", "ec2:DescribeInstanceStatus", "ec2:DescribeInstances", "ec2:DescribeRouteTables", "ec2:ModifyNetworkInterfaceAttribute"],
            checks.Select(c => c.Name).Where(n => n.Contains(':', StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3, checks.Count(c => c.Name.StartsWith("route budget rtb-", StringComparison.Ordinal)));
        Assert.Equal(before, fixture.Simulator.Control.Routes());
        Assert.Contains(fixture.Simulator.Control.Calls, c => c.Key == "PutMetricData");
    }

    [Fact]
    public async Task DeniedRouteWrites_FailNamingTheActionTableAndPolicy()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Simulator.Control.Faults = new FaultSettings { UnauthorizedActions = new HashSet<string> { "CreateRoute", "PutMetricData" } };
        var checks = await RunAsync(fixture);
        var create = checks.Where(c => c.Name == "ec2:CreateRoute").ToList();
        Assert.Equal(3, create.Count);
        Assert.All(create, c =>
        {
            Assert.False(c.Ok);
            Assert.Contains("denied (UnauthorizedOperation", c.Detail, StringComparison.Ordinal);
            Assert.Matches("^allow ec2:CreateRoute on rtb-[0-9a-f]+: attach .*cloudformation/romana-aws.yaml", c.Fix);
        });
        Assert.False(checks.Single(c => c.Name == "cloudwatch:PutMetricData").Ok);
        Assert.True(checks.Single(c => c.Name == "ec2:DescribeInstances").Ok);
    }

    [Fact]
    public async Task DeniedDiscovery_FailsAndSaysWhatCouldNotBeChecked()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        fixture.Simulator.Control.Faults = new FaultSettings { UnauthorizedActions = new HashSet<string> { "DescribeInstances" } };
        var checks = await RunAsync(fixture);
        Assert.False(checks.Single(c => c.Name == "ec2:DescribeInstances").Ok);
        Assert.Contains("not checked", checks.Single(c => c.Name == "cluster instances").Detail, StringComparison.Ordinal);
        Assert.Contains(checks, c => c.Name == "route tables" && !c.Ok && c.Fix!.Contains("controller.vpcId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullTable_FailsTheBudgetWithHowManyRoutesToFree()
    {
        await using var fixture = await ControllerFixture.StartAsync();
        var table = (await fixture.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest())).RouteTables
            .First(t => (t.Tags ?? []).Any(tag => tag.Key == "KubernetesCluster")).RouteTableId;
        var eni = (await fixture.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations.SelectMany(r => r.Instances)
            .First(i => (i.Tags ?? []).Any(tag => tag.Key == "KubernetesCluster") && i.State.Name == "running").NetworkInterfaces[0].NetworkInterfaceId;
        for (var i = 0; i < 32; i++)
        {
            await fixture.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table, DestinationCidrBlock = $"10.{200 + (i / 16)}.{i % 16}.0/24", NetworkInterfaceId = eni });
        }

        var checks = await RunAsync(fixture);
        var budget = checks.Single(c => c.Name == $"route budget {table}");
        Assert.False(budget.Ok);
        Assert.Contains("+ 12 planned", budget.Detail, StringComparison.Ordinal);
        Assert.StartsWith($"free ", budget.Fix, StringComparison.Ordinal);
        Assert.All(checks.Where(c => c.Name.StartsWith("route budget", StringComparison.Ordinal) && c.Name != budget.Name), c => Assert.True(c.Ok));

        var tighter = await RunAsync(fixture, fixture.Topology with { GroupsPerSubnet = 8 });
        Assert.All(tighter.Where(c => c.Name.StartsWith("route budget", StringComparison.Ordinal)), c => Assert.False(c.Ok, c.Detail));
    }
}
