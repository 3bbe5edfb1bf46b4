using Amazon.EC2;
using Amazon.EC2.Model;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Routing;
using RouteState = Amazon.EC2.RouteState;
using RomanaAws.VpcSim.Faults;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Controller.Tests.Reconcile;

public sealed class ReconcilerTests
{
    private static readonly string[] Tables = ["rtb-0a0a0a0a0a0a0a0a1", "rtb-0b0b0b0b0b0b0b0b1", "rtb-0c0c0c0c0c0c0c0c1"];

    [Fact]
    public async Task FromEmpty_Converges_ThenASecondPassMakesNoMutatingCall()
    {
        await using var f = await ControllerFixture.StartAsync();
        var first = await f.PassAsync();
        Assert.True(first.Succeeded, string.Join("; ", first.Errors.Select(e => e.Message)));
        Assert.Equal("tagged", first.TableSelection);
        Assert.Equal(Tables, first.Tables.Select(t => t.RouteTableId));

        // 10 cluster hosts, 2 groups per subnet: a 2+2, b 2+1, c 2 (c1 + stopped c3) + 1. Every group with a healthy host gets a route.
        var expected = first.Ipam.Routes.Select(r => r.Destination.ToString()).Order().ToList();
        Assert.Equal(6, expected.Count);
        foreach (var table in Tables)
        {
            var routes = await f.PodRoutesAsync(table);
            Assert.Equal(expected, routes.Keys.Order());
            Assert.All(routes.Values, eni => Assert.StartsWith("eni-", eni, StringComparison.Ordinal));
        }

        // Same target for a group in every table; foreign routes untouched.
        Assert.Single((await Task.WhenAll(Tables.Select(f.PodRoutesAsync))).Select(r => string.Join(",", r.OrderBy(x => x.Key).Select(x => x.Value))).Distinct());
        var a = await f.RoutesAsync(Tables[0]);
        Assert.Contains(a, r => r.DestinationCidrBlock == "10.99.0.0/16" && r.InstanceId == "i-0bbbbbbbbbbbbbbb0");
        Assert.Contains(a, r => r.DestinationCidrBlock == "0.0.0.0/0" && r.NatGatewayId == "nat-0a0a0a0a0a0a0a0a0");

        // Source/destination check is off on every cluster host, and not on the bastion.
        var instances = (await f.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations.SelectMany(r => r.Instances).ToList();
        Assert.All(instances.Where(i => i.InstanceId != "i-0bbbbbbbbbbbbbbb0"), i => Assert.False(i.SourceDestCheck, i.InstanceId));
        Assert.True(instances.Single(i => i.InstanceId == "i-0bbbbbbbbbbbbbbb0").SourceDestCheck);

        f.Simulator.Control.ResetCalls();
        var second = await f.PassAsync();
        Assert.True(second.Plan.IsConverged);
        Assert.Equal(0, f.MutatingCalls());
        Assert.Equal(2, f.DescribeCalls());
    }

    [Fact]
    public async Task MultiEniInstance_IsTargetedByItsPrimaryEni()
    {
        // node-a3 (two ENIs) shares a group with node-a1; with node-a1 stopped it is the group's only healthy host.
        await using var f = await ControllerFixture.StartAsync(s => s.Instances.Single(i => i.Name == "node-a1").State = "stopped");
        var result = await f.PassAsync();
        Assert.Empty(result.Errors);
        var enis = await f.Ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [new Filter("attachment.instance-id", ["i-0a000000000000004"])] });
        Assert.Equal(2, enis.NetworkInterfaces.Count);
        var primary = enis.NetworkInterfaces.Single(e => e.Attachment.DeviceIndex == 0).NetworkInterfaceId;
        var route = Assert.Single(result.Desired, d => d.Target?.InstanceId == "i-0a000000000000004");
        Assert.Equal(primary, route.Target!.NetworkInterfaceId);
        foreach (var table in Tables)
        {
            Assert.Equal(primary, (await f.PodRoutesAsync(table))[route.Destination.ToString()]);
        }
    }

    [Fact]
    public async Task FromMessyState_Converges_ForeignRoutesUntouched()
    {
        await using var f = await ControllerFixture.StartAsync(s =>
        {
            var a = s.RouteTables.Single(t => t.Name == "private-a");
            a.Routes.Add(new RouteSpec { Destination = "100.127.0.0/16", Instance = "node-a1" });   // stale
            // Groups are /15s: zone a holds 100.96.0.0/15 and 100.98.0.0/15, zone b 100.104.0.0/15 and 100.106.0.0/15.
            a.Routes.Add(new RouteSpec { Destination = "100.96.0.0/15", Instance = "node-c2" });    // wrong target (a zone-c host)
            a.Routes.Add(new RouteSpec { Destination = "100.98.0.0/15", Instance = "node-c3" });    // blackhole (c3 is stopped)
            s.RouteTables.Single(t => t.Name == "private-b").Routes.Add(new RouteSpec { Destination = "100.104.0.0/15", VpcPeeringConnection = "pcx-0fffffffffffffff0" }); // foreign on a pod CIDR
        });
        for (var pass = 0; pass < 3 && !(await f.PassAsync()).Plan.IsConverged; pass++)
        {
        }

        var result = await f.PassAsync();
        Assert.True(result.Plan.IsConverged, string.Join("; ", result.Plan.Operations));
        var a = await f.PodRoutesAsync(Tables[0]);
        Assert.DoesNotContain("100.127.0.0/16", a.Keys);
        Assert.All((await f.RoutesAsync(Tables[0])).Where(r => r.DestinationCidrBlock.StartsWith("100.", StringComparison.Ordinal)), r => Assert.Equal(RouteState.Active, r.State));
        var b = await f.RoutesAsync(Tables[1]);
        Assert.Equal("pcx-0fffffffffffffff0", b.Single(r => r.DestinationCidrBlock == "100.104.0.0/15").VpcPeeringConnectionId);
        Assert.Contains(result.Warnings, w => w.Contains("100.104.0.0/15 is held by a route RomanaAws does not own", StringComparison.Ordinal));
        Assert.Equal(result.Desired.Single(d => d.Destination.ToString() == "100.96.0.0/15").Target!.NetworkInterfaceId, a["100.96.0.0/15"]);
    }

    [Fact]
    public async Task WithThirtyPercentThrottled_StillConverges()
    {
        await using var f = await ControllerFixture.StartAsync();
        f.Simulator.Control.Faults = new FaultSettings { ThrottleRate = 0.3 };
        ReconcileResult? last = null;
        for (var pass = 0; pass < 5 && last?.Plan.IsConverged != true; pass++)
        {
            last = await f.PassAsync();
        }

        Assert.True(last!.Plan.IsConverged);
        Assert.True(f.Simulator.Control.Calls.Values.Sum() > 0);
        f.Simulator.Control.Faults = FaultSettings.None;
        foreach (var table in Tables)
        {
            Assert.Equal(6, (await f.PodRoutesAsync(table)).Count);
        }
    }

    [Fact]
    public async Task TableFilledBySomeoneElse_IsRespectedAndReported()
    {
        // The simulator's private-b table holds at most 6 routes; it has 3 already (local, NAT, peering).
        await using var f = await ControllerFixture.StartAsync(s => s.RouteTables.Single(t => t.Name == "private-b").RouteLimit = 6);
        var result = await f.PassAsync();
        Assert.Contains(result.Errors, e => e.Write is RouteWriteError { Kind: RomanaAws.Aws.Ec2.Ec2ErrorKind.RouteLimitExceeded, Operation.RouteTableId: "rtb-0b0b0b0b0b0b0b0b1" });
        Assert.Equal(6, (await f.RoutesAsync(Tables[1])).Count);
        Assert.Equal(6, (await f.PodRoutesAsync(Tables[0])).Count);
        var calls = f.Simulator.Control.Calls.GetValueOrDefault("CreateRoute");
        Assert.True(calls < 3 * 6 + 2, $"{calls} CreateRoute calls: the applier must stop creating on a full table");
    }

    [Fact]
    public async Task RouteBudget_KeepsHeadroomForForeignRoutes()
    {
        // routeLimit 9, headroom 3: budget 6; private-b has 3 foreign routes, so only 3 of 6 pod routes fit there.
        await using var f = await ControllerFixture.StartAsync(topology: t => t with { RouteLimit = 9, RouteHeadroom = 3, GroupsPerSubnet = 1, SubnetsPerZone = 1 });
        var result = await f.PassAsync();
        Assert.Empty(result.Errors);
        var budgetB = result.Plan.Budgets.Single(b => b.RouteTableId == Tables[1]);
        Assert.Equal((3, 3, 0), (budgetB.Foreign, budgetB.Desired, budgetB.SkippedForBudget));
        var tableA = result.Plan.Budgets.Single(b => b.RouteTableId == Tables[0]);
        Assert.Equal(4, tableA.Foreign);
        Assert.Equal(1, tableA.SkippedForBudget);
        Assert.True(tableA.OverBudget);
        Assert.Equal(6, (await f.RoutesAsync(Tables[0])).Count);
    }

    [Fact]
    public async Task ReplacedInstanceReusingAnIp_IsDetected()
    {
        await using var f = await ControllerFixture.StartAsync();
        await f.PassAsync();
        await f.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-0b000000000000001"] });
        var run = await f.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            SubnetId = "subnet-0b1b1b1b1b1b1b1b1",
            PrivateIpAddress = "172.20.64.11",
            MinCount = 1,
            MaxCount = 1,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("KubernetesCluster", "demo.k8s.local")] }],
        });
        var replacement = run.Reservation.Instances.Single();
        var result = await f.PassAsync();
        Assert.Contains("i-0b000000000000001", result.Hosts.Removed);
        Assert.Contains(replacement.InstanceId, result.Hosts.Added);
        var routes = await f.RoutesAsync(Tables[1]);
        Assert.All(routes.Where(r => r.DestinationCidrBlock.StartsWith("100.", StringComparison.Ordinal)), r => Assert.Equal(RouteState.Active, r.State));
        Assert.DoesNotContain(routes, r => r.InstanceId == "i-0b000000000000001");
    }

    [Fact]
    public async Task NoTaggedTables_ManagesAssociatedTablesAndTheMainTable()
    {
        await using var f = await ControllerFixture.StartAsync(s =>
        {
            foreach (var table in s.RouteTables)
            {
                table.Tags.Remove("KubernetesCluster");
            }

            s.RouteTables.Single(t => t.Name == "private-c").Subnets.Clear(); // private-c now uses the main table
        });
        var result = await f.PassAsync();
        Assert.Equal("associated with cluster subnets", result.TableSelection);
        Assert.Equal(["rtb-0000000000000000a", "rtb-0a0a0a0a0a0a0a0a1", "rtb-0b0b0b0b0b0b0b0b1"], result.Tables.Select(t => t.RouteTableId));
        Assert.Equal(6, (await f.PodRoutesAsync("rtb-0000000000000000a")).Count);
        Assert.Empty(await f.PodRoutesAsync(Tables[2]));
    }

    [Fact]
    public async Task StoppedTarget_FailsOverToTheOtherHostOfItsGroup()
    {
        await using var f = await ControllerFixture.StartAsync();
        var first = await f.PassAsync();
        var route = first.Desired.First(d => d.Zone == "us-east-1a");
        var group = first.Ipam.Routes.Single(r => r.Destination == route.Destination);
        Assert.Equal(2, group.Hosts.Count);
        await f.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [route.Target!.InstanceId] });

        var second = await f.PassAsync();
        var moved = second.Desired.Single(d => d.Destination == route.Destination);
        Assert.Equal(TargetChoice.Failover, moved.Choice);
        Assert.NotEqual(route.Target.InstanceId, moved.Target!.InstanceId);
        foreach (var table in Tables)
        {
            Assert.Equal(moved.Target.NetworkInterfaceId, (await f.PodRoutesAsync(table))[route.Destination.ToString()]);
        }

        // Sticky: starting the old target again does not move the route back.
        await f.Ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [route.Target.InstanceId] });
        var third = await f.PassAsync();
        Assert.Equal(moved.Target, third.Desired.Single(d => d.Destination == route.Destination).Target);
    }

    [Fact]
    public async Task Restart_ReloadsState_AndDoesNothing()
    {
        await using var f = await ControllerFixture.StartAsync();
        var first = await f.PassAsync();
        Assert.True(File.Exists(f.StatePath));
        f.NewReconciler();
        f.Simulator.Control.ResetCalls();
        var again = await f.PassAsync();
        Assert.True(again.Plan.IsConverged);
        Assert.Equal(0, f.MutatingCalls());
        Assert.Equal(first.Ipam.Routes.Select(r => r.Destination), again.Ipam.Routes.Select(r => r.Destination));
    }

    [Fact]
    public async Task DryRun_PlansButWritesNothing()
    {
        await using var f = await ControllerFixture.StartAsync();
        f.Settings.DryRun = true;
        var result = await f.PassAsync();
        Assert.NotEmpty(result.Plan.Operations);
        Assert.Empty(result.Errors);
        Assert.Empty(await f.PodRoutesAsync(Tables[0]));
    }

    [Fact]
    public async Task StateChangedByAnotherWriter_IsReloadedNotOverwritten()
    {
        await using var f = await ControllerFixture.StartAsync();
        f.Settings.HostGraceSeconds = 0;
        await f.PassAsync();

        // Another writer (an operator's `romana-aws ipam allocate`) changes the state file between passes.
        var store = new RomanaAws.Core.Persistence.FileIpamStateStore(f.StatePath);
        var document = (await store.LoadAsync(CancellationToken.None))!;
        var other = RomanaAws.Core.Ipam.Ipam.FromDocument(document, f.StatePath);
        other.Allocate("default/by-hand", "i-0b000000000000002", "default");
        await store.SaveAsync(other.ToDocument(), document.Revision, CancellationToken.None);

        await f.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = ["i-0b000000000000003"] });
        var result = await f.PassAsync();
        Assert.Contains("i-0b000000000000003", result.Hosts.Removed);
        var saved = RomanaAws.Core.Ipam.Ipam.FromDocument((await store.LoadAsync(CancellationToken.None))!, f.StatePath);
        Assert.NotNull(saved.FindPod("default/by-hand"));
        Assert.False(saved.HasHost("i-0b000000000000003"));
    }
}
