using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Aws.Ec2;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Aws.Tests.Ec2;

/// <summary>
/// The in-memory <see cref="FakeEc2"/> the controller's unit tests use cannot drift from the simulator silently: the same
/// calls go to both (the simulator through the real seam and the SDK over HTTP), and every answer (success, or the error's
/// kind and code), the tables and instances described after it, and the calls each side counted must be equal.
/// </summary>
public sealed class FakeEc2ParityTests(ITestOutputHelper output)
{
    private const string Cluster = "demo.k8s.local";
    private const string Vpc = "vpc-0a0a0a0a0a0a0a0a0";
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";
    private const string TableB = "rtb-0b0b0b0b0b0b0b0b1";
    private const string NodeA1 = "i-0a000000000000002";
    private const string NodeA2 = "i-0a000000000000003";
    private const string NodeC3 = "i-0c000000000000003"; // stopped in the scenario

    [Fact]
    public async Task SameCalls_SameAnswersAndSameWorld()
    {
        await using var scope = await SimulatorScope.StartAsync(change: s =>
        {
            s.Throttling.Enabled = false;
            s.RouteTables.Single(t => t.Name == "private-b").RouteLimit = 6; // it holds local, NAT and peering: room for 3
        });
        var options = new AwsOptions { Region = "us-east-1", Ec2ServiceUrl = scope.Simulator.Endpoint, MaxRetries = 0 };
        using var sim = new Ec2Api(Ec2ClientFactory.Create(options, new BasicAWSCredentials(SimulatorScope.AccessKey, SimulatorScope.SecretKey)), options, TimeProvider.System, NullLogger<Ec2Api>.Instance);
        var instances = await sim.DescribeClusterInstancesAsync(Cluster, CancellationToken.None);
        var fake = new FakeEc2(instances, await sim.DescribeRouteTablesAsync(Vpc, CancellationToken.None), tableLimits: new Dictionary<string, int> { [TableB] = 6 });
        scope.Simulator.Control.ResetCalls();
        string Eni(string id) => instances.Single(i => i.InstanceId == id).PrimaryNetworkInterfaceId;
        var a1 = Eni(NodeA1);
        var a2 = Eni(NodeA2);
        var c3 = Eni(NodeC3);
        var group = Cidr.Parse("100.96.0.0/15");

        (string Step, Func<IEc2Api, Task> Call)[] steps =
        [
            ("create", api => api.CreateRouteAsync(TableA, group, a1, false, default)),
            ("create an existing route", api => api.CreateRouteAsync(TableA, group, a2, false, default)),
            ("dry-run create", api => api.CreateRouteAsync(TableA, Cidr.Parse("100.98.0.0/15"), a1, true, default)),
            ("dry-run create of an existing route", api => api.CreateRouteAsync(TableA, group, a1, true, default)),
            ("replace", api => api.ReplaceRouteAsync(TableA, group, a2, false, default)),
            ("replace a missing route", api => api.ReplaceRouteAsync(TableA, Cidr.Parse("100.100.0.0/15"), a2, false, default)),
            ("delete a missing route", api => api.DeleteRouteAsync(TableA, Cidr.Parse("100.100.0.0/15"), false, default)),
            ("create in a missing table", api => api.CreateRouteAsync("rtb-0ffffffffffffff00", group, a1, false, default)),
            ("create to a missing interface", api => api.CreateRouteAsync(TableA, Cidr.Parse("100.102.0.0/15"), "eni-0ffffffffffffff00", false, default)),
            ("create to a stopped instance", api => api.CreateRouteAsync(TableA, Cidr.Parse("100.102.0.0/15"), c3, false, default)),
            .. Enumerable.Range(0, 4).Select(i => ($"create {i + 1} of 4 in a table with room for 3", (Func<IEc2Api, Task>)(api => api.CreateRouteAsync(TableB, Cidr.Parse($"100.{104 + (2 * i)}.0.0/15"), a1, false, default)))),
            ("delete the local route", api => api.DeleteRouteAsync(TableA, Cidr.Parse("172.20.0.0/16"), false, default)),
            ("source/destination check off", api => api.DisableSourceDestCheckAsync(a1, false, default)),
            ("source/destination check off, dry run", api => api.DisableSourceDestCheckAsync(a2, true, default)),
            ("source/destination check of a missing interface", api => api.DisableSourceDestCheckAsync("eni-0ffffffffffffff00", false, default)),
            ("status", api => api.DescribeInstanceStatusAsync([NodeA1, NodeC3], default)),
            ("status of a missing instance", api => api.DescribeInstanceStatusAsync([NodeA1, "i-0ffffffffffffffff"], default)),
            ("another cluster's instances", async api => Assert.Empty(await api.DescribeClusterInstancesAsync("other.k8s.local", default))),
            ("delete", api => api.DeleteRouteAsync(TableA, group, false, default)),
            ("dry-run delete of a deleted route", api => api.DeleteRouteAsync(TableA, group, true, default)),
        ];

        foreach (var (step, call) in steps)
        {
            var (simAnswer, fakeAnswer) = (await AnswerAsync(call, sim), await AnswerAsync(call, fake));
            output.WriteLine($"{step}: {simAnswer}");
            Assert.True(simAnswer == fakeAnswer, $"{step}: simulator {simAnswer}, fake {fakeAnswer}");
            Assert.Equal(await WorldAsync(sim), await WorldAsync(fake));
        }

        // A stopped target turns the route to it blackhole in both.
        await sim.ReplaceRouteAsync(TableA, Cidr.Parse("100.102.0.0/15"), a2, false, default);
        await fake.ReplaceRouteAsync(TableA, Cidr.Parse("100.102.0.0/15"), a2, false, default);
        await scope.Simulator.Control.StopInstanceAsync(NodeA2);
        fake.SetState(NodeA2, InstanceLifecycle.Stopped);
        var world = await WorldAsync(sim);
        Assert.Contains($"100.102.0.0/15 NetworkInterface {a2} {NodeA2} {a2} Blackhole CreateRoute", world, StringComparison.Ordinal);
        Assert.Equal(world, await WorldAsync(fake));

        // Both counted the same calls, action by action.
        var simCalls = scope.Simulator.Control.Calls.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}");
        var fakeCalls = fake.Calls.GroupBy(c => c.Action).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        Assert.Equal(simCalls, fakeCalls);
        Assert.Equal(9, fake.Writes); // create, replace, create to c3, 3 creates in B, source/dest check, delete, replace to a2
    }

    private static async Task<string> AnswerAsync(Func<IEc2Api, Task> call, IEc2Api api)
    {
        try
        {
            await call(api);
            return "ok";
        }
        catch (Ec2ApiException ex)
        {
            return $"{ex.Kind} {ex.Code}";
        }
    }

    /// <summary>What DescribeRouteTables, DescribeInstances and DescribeInstanceStatus say, as one comparable text.</summary>
    private static async Task<string> WorldAsync(IEc2Api api)
    {
        var tables = (await api.DescribeRouteTablesAsync(Vpc, default)).OrderBy(t => t.RouteTableId, StringComparer.Ordinal)
            .Select(t => $"{t.RouteTableId} main={t.IsMain} subnets={string.Join(",", t.Subnets)}\n" + string.Join("\n", t.Routes
                .Select(r => $"  {r.Destination} {r.TargetKind} {r.TargetId} {r.InstanceId} {r.NetworkInterfaceId} {r.State} {r.Origin}").Order(StringComparer.Ordinal)));
        var instances = (await api.DescribeClusterInstancesAsync(Cluster, default)).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        var statuses = await api.DescribeInstanceStatusAsync([.. instances.Select(i => i.InstanceId)], default);
        return string.Join("\n", tables) + "\n" + string.Join("\n", instances.Select(i =>
            $"{i.InstanceId} {i.State} {i.PrimaryNetworkInterfaceId} sdc={i.SourceDestCheck} status={statuses.Single(s => s.InstanceId == i.InstanceId) is var s && s.State == i.State}"));
    }
}
