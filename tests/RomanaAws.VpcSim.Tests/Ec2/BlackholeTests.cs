using Amazon.EC2;
using Amazon.EC2.Model;

namespace RomanaAws.VpcSim.Tests.Ec2;

public sealed class BlackholeTests
{
    private const string TableB = "rtb-0b0b0b0b0b0b0b0b1";
    private const string NodeB1 = "i-0b000000000000001";

    private static async Task<Route> RouteAsync(SimFixture sim) =>
        (await sim.Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [TableB] }))
            .RouteTables.Single().Routes.Single(r => r.DestinationCidrBlock == "100.104.0.0/16");

    [Fact]
    public async Task Route_FollowsItsInstance_StopBlackholesStartRestoresTerminateKeepsBlackhole()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = TableB, DestinationCidrBlock = "100.104.0.0/16", InstanceId = NodeB1 });
        Assert.Equal(RouteState.Active, (await RouteAsync(sim)).State);

        var stop = await sim.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [NodeB1] });
        Assert.Equal((InstanceStateName.Running, InstanceStateName.Stopped), (stop.StoppingInstances[0].PreviousState.Name, stop.StoppingInstances[0].CurrentState.Name));
        Assert.Equal(RouteState.Blackhole, (await RouteAsync(sim)).State);

        await sim.Ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [NodeB1] });
        Assert.Equal(RouteState.Active, (await RouteAsync(sim)).State);

        await sim.Simulator.Control.TerminateInstanceAsync(NodeB1);
        var route = await RouteAsync(sim);
        Assert.Equal(RouteState.Blackhole, route.State);
        Assert.Null(route.InstanceId);
        Assert.StartsWith("eni-", route.NetworkInterfaceId, StringComparison.Ordinal);
        await Ec2Assert.Fails("IncorrectInstanceState", () => sim.Ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [NodeB1] }));
    }

    [Fact]
    public async Task Terminated_IpReusedByANewInstance_WithADifferentIdAndEni()
    {
        await using var sim = await SimFixture.StartAsync();
        await sim.Ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [NodeB1] });
        var run = await sim.Ec2.RunInstancesAsync(new RunInstancesRequest
        {
            SubnetId = "subnet-0b1b1b1b1b1b1b1b1",
            MinCount = 1,
            MaxCount = 1,
            PrivateIpAddress = "172.20.64.11",
            ImageId = "ami-0abcdef1234567890",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Name", "replacement")] }],
        });
        var replacement = Assert.Single(run.Reservation.Instances);
        Assert.NotEqual(NodeB1, replacement.InstanceId);
        Assert.Equal("172.20.64.11", replacement.PrivateIpAddress);
        Assert.Equal("replacement", Assert.Single(replacement.Tags).Value);
        var old = (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [NodeB1] })).Reservations.Single().Instances.Single();
        Assert.Equal(InstanceStateName.Terminated, old.State.Name);
        Assert.NotEqual(old.NetworkInterfaces?.FirstOrDefault()?.NetworkInterfaceId, replacement.NetworkInterfaces[0].NetworkInterfaceId);
    }

    [Fact]
    public async Task Transitions_TakeTheConfiguredTime()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sim = await SimFixture.StartAsync(s => s.TransitionSeconds = 30, time);
        var stop = await sim.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [NodeB1] });
        Assert.Equal(InstanceStateName.Stopping, stop.StoppingInstances[0].CurrentState.Name);
        Assert.Equal(64, stop.StoppingInstances[0].CurrentState.Code);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(InstanceStateName.Stopping, await StateAsync(sim));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(InstanceStateName.Stopped, await StateAsync(sim));
    }

    private static async Task<InstanceStateName> StateAsync(SimFixture sim) =>
        (await sim.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [NodeB1] })).Reservations[0].Instances[0].State.Name;
}
