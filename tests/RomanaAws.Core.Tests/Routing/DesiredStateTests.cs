using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Routing;

public sealed class DesiredStateTests
{
    // One group per subnet slot so that hosts of a subnet share a group.
    private static readonly TopologyConfig OneGroup = MakeTopology(groupsPerSubnet: 1);

    private static InstanceSnapshot Snap(int n, InstanceLifecycle state = InstanceLifecycle.Running, string? eni = null) =>
        new(InstanceId(n), Host(n).Zone, Host(n).SubnetId, "vpc-1", Host(n).PrimaryIp, state, eni ?? $"eni-{n}", 1, false, new Dictionary<string, string>());

    private static RouteTableSnapshot TableWith(params (string Destination, string Eni)[] routes) =>
        new("rtb-a", "vpc-1", false, [], routes.Select(r => new RouteEntry(r.Destination, RouteTargetKind.NetworkInterface, null, null, r.Eni, RouteState.Active, "CreateRoute")).ToList(), new Dictionary<string, string>());

    private static (CoreIpam Ipam, string Group) ThreeHosts()
    {
        var ipam = CoreIpam.Create(OneGroup);
        for (var n = 1; n <= 3; n++)
        {
            ipam.AddHost(Host(n));
        }

        return (ipam, ipam.Plan().Routes.Single().Destination.ToString());
    }

    private static DesiredRoute Single(CoreIpam ipam, InstanceSnapshot[] instances, RouteTableSnapshot table) =>
        DesiredState.Build(ipam.Plan(), new ClusterSnapshot(instances, [table], DateTimeOffset.UnixEpoch), [table], DesiredState.FromInstanceState).Single();

    [Fact]
    public void Build_NoRoute_PicksLowestHealthyHost()
    {
        var (ipam, _) = ThreeHosts();
        var route = Single(ipam, [Snap(1, InstanceLifecycle.Stopped), Snap(2), Snap(3)], TableWith());
        Assert.Equal((InstanceId(2), "eni-2", TargetChoice.New), (route.Target!.InstanceId, route.Target.NetworkInterfaceId, route.Choice));
    }

    [Fact]
    public void Build_HealthyCurrentTarget_IsKept_EvenIfAnotherWouldDo()
    {
        var (ipam, group) = ThreeHosts();
        var route = Single(ipam, [Snap(1), Snap(2), Snap(3)], TableWith((group, "eni-3")));
        Assert.Equal((InstanceId(3), TargetChoice.Kept), (route.Target!.InstanceId, route.Choice));
    }

    [Theory]
    [InlineData(InstanceLifecycle.Stopped)]
    [InlineData(InstanceLifecycle.Stopping)]
    [InlineData(InstanceLifecycle.Terminated)]
    public void Build_CurrentTargetNotHealthy_FailsOverToAHealthyHost(InstanceLifecycle state)
    {
        var (ipam, group) = ThreeHosts();
        var route = Single(ipam, [Snap(1), Snap(2), Snap(3, state)], TableWith((group, "eni-3")));
        Assert.Equal((InstanceId(1), TargetChoice.Failover), (route.Target!.InstanceId, route.Choice));
        Assert.Equal("eni-3", route.Previous!.NetworkInterfaceId);
    }

    [Fact]
    public void Build_NoHealthyHost_KeepsTheCurrentRoute()
    {
        var (ipam, group) = ThreeHosts();
        var route = Single(ipam, [Snap(1, InstanceLifecycle.Stopped), Snap(2, InstanceLifecycle.Stopping), Snap(3, InstanceLifecycle.Stopped)], TableWith((group, "eni-3")));
        Assert.Equal((TargetChoice.NoHealthyTarget, "eni-3"), (route.Choice, route.Target!.NetworkInterfaceId));
    }

    [Fact]
    public void Build_RouteToAnEniNoHostHasNow_IsReplaced()
    {
        // Host 3's instance was replaced by a new one with the same IP (and id reuse aside, a new ENI): the old ENI is no target.
        var (ipam, group) = ThreeHosts();
        var route = Single(ipam, [Snap(1), Snap(2), Snap(3, eni: "eni-30")], TableWith((group, "eni-3")));
        Assert.Equal((InstanceId(1), TargetChoice.Failover), (route.Target!.InstanceId, route.Choice));
    }

    [Fact]
    public void Build_HostServingFewerGroupsIsPreferred()
    {
        var topology = OneGroup with
        {
            Networks = [.. OneGroup.Networks, new NetworkConfig { Name = "extra", Cidr = Cidr.Parse("100.64.0.0/12") }],
        };
        var ipam = CoreIpam.Create(topology);
        ipam.AddHost(Host(1));
        ipam.AddHost(Host(2));
        var routes = DesiredState.Build(ipam.Plan(), new ClusterSnapshot([Snap(1), Snap(2)], [], DateTimeOffset.UnixEpoch), [], DesiredState.FromInstanceState);
        Assert.Equal([InstanceId(1), InstanceId(2)], routes.Select(r => r.Target!.InstanceId));
    }

    [Fact]
    public void Build_OverflowRangesShareTheirGroupsTarget()
    {
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 1));
        ipam.AddHost(Host(1));
        ipam.AddHost(Host(2));
        for (var i = 0; i < (64 * 16) + 1; i++)
        {
            ipam.Allocate($"ns/p{i}", InstanceId(1), "ns");
        }

        var routes = DesiredState.Build(ipam.Plan(), new ClusterSnapshot([Snap(1), Snap(2)], [], DateTimeOffset.UnixEpoch), [], DesiredState.FromInstanceState);
        Assert.Equal(2, routes.Count);
        Assert.Single(routes.Select(r => r.Target).Distinct());
    }

    [Fact]
    public void Build_DampedGroup_IsHeldOnItsCurrentTarget()
    {
        var (ipam, group) = ThreeHosts();
        var table = TableWith((group, "eni-3"));
        var route = DesiredState.Build(ipam.Plan(), new ClusterSnapshot([Snap(1), Snap(2), Snap(3, InstanceLifecycle.Stopping)], [table], DateTimeOffset.UnixEpoch), [table],
            DesiredState.FromInstanceState, (_, _) => false).Single();
        Assert.Equal((TargetChoice.Held, "eni-3"), (route.Choice, route.Target!.NetworkInterfaceId));
    }
}
