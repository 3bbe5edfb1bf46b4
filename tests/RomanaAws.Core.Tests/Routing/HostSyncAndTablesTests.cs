using RomanaAws.Core.Routing;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Routing;

public sealed class HostSyncAndTablesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private static InstanceSnapshot Snap(int n, InstanceLifecycle state = InstanceLifecycle.Running, int ipOf = 0) =>
        new(InstanceId(n), Host(n).Zone, Host(n).SubnetId, "vpc-1", Host(ipOf == 0 ? n : ipOf).PrimaryIp, state, $"eni-{n}", 1, true, new Dictionary<string, string>());

    [Fact]
    public void Apply_RegistersLiveInstances_RemovesGoneOnesAfterGrace()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var gone = new Dictionary<string, DateTimeOffset>();
        var first = HostSync.Apply(ipam, [Snap(1), Snap(2), Snap(3, InstanceLifecycle.Stopped)], gone, T0, Grace);
        Assert.Equal([InstanceId(1), InstanceId(2), InstanceId(3)], first.Added);

        var early = HostSync.Apply(ipam, [Snap(1), Snap(3, InstanceLifecycle.Stopped)], gone, T0.AddMinutes(1), Grace);
        Assert.False(early.Changed);
        Assert.True(ipam.HasHost(InstanceId(2)));
        var late = HostSync.Apply(ipam, [Snap(1), Snap(3, InstanceLifecycle.Stopped)], gone, T0.AddMinutes(6), Grace);
        Assert.Equal([InstanceId(2)], late.Removed);
        Assert.Empty(gone);
    }

    [Fact]
    public void Apply_NewInstanceReusingAGoneHostsIp_ReplacesItAtOnce()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var gone = new Dictionary<string, DateTimeOffset>();
        HostSync.Apply(ipam, [Snap(1), Snap(2)], gone, T0, Grace);
        var result = HostSync.Apply(ipam, [Snap(1), Snap(2, InstanceLifecycle.Terminated), Snap(9, ipOf: 2)], gone, T0.AddSeconds(10), Grace);
        Assert.Equal([InstanceId(2)], result.Removed);
        Assert.Equal([InstanceId(9)], result.Added);
    }

    [Fact]
    public void Apply_NodeDeleted_RemovesAGoneHostAtOnce_KeepsARunningOne()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var gone = new Dictionary<string, DateTimeOffset>();
        HostSync.Apply(ipam, [Snap(1), Snap(2), Snap(3)], gone, T0, Grace);
        var deleted = new HashSet<string> { InstanceId(2), InstanceId(3) };
        var result = HostSync.Apply(ipam, [Snap(1), Snap(2, InstanceLifecycle.Terminated), Snap(3)], gone, T0.AddSeconds(1), Grace, deleted);
        Assert.Equal([InstanceId(2)], result.Removed);
        Assert.True(ipam.HasHost(InstanceId(3)));
        Assert.Empty(gone);

        // Without the Node deletion, a gone host waits for the grace period.
        HostSync.Apply(ipam, [Snap(1), Snap(3)], gone, T0.AddSeconds(2), Grace);
        var waiting = HostSync.Apply(ipam, [Snap(1), Snap(3, InstanceLifecycle.Terminated)], gone, T0.AddSeconds(3), Grace, new HashSet<string>());
        Assert.False(waiting.Changed);
    }

    [Fact]
    public void Apply_EmptyDiscovery_KeepsHosts()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var gone = new Dictionary<string, DateTimeOffset>();
        HostSync.Apply(ipam, [Snap(1)], gone, T0, Grace);
        var result = HostSync.Apply(ipam, [], gone, T0.AddHours(1), Grace);
        Assert.Single(result.Problems);
        Assert.True(ipam.HasHost(InstanceId(1)));
    }

    [Fact]
    public void Apply_HostThatCannotBePlaced_IsAProblemNotAnException()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        var stranger = Snap(1) with { Zone = "eu-west-1a" };
        var result = HostSync.Apply(ipam, [stranger], [], T0, Grace);
        Assert.Contains("is not in the topology", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    private static RouteTableSnapshot T(string id, bool main = false, string[]? subnets = null, Dictionary<string, string>? tags = null) =>
        new(id, "vpc-1", main, subnets ?? [], [], tags ?? []);

    [Fact]
    public void Select_ExplicitThenTaggedThenAssociatedWithMainFallback()
    {
        var tables = new[] { T("rtb-main", main: true), T("rtb-a", subnets: [Host(1).SubnetId]), T("rtb-x", tags: new() { ["KubernetesCluster"] = "c1" }) };
        var instances = new[] { Snap(1), Snap(2) with { SubnetId = "subnet-000000000000000ff" } };

        var configured = ManagedTables.Select("c1", ["rtb-a", "rtb-gone"], tables, instances);
        Assert.Equal(["rtb-a"], configured.Tables.Select(t => t.RouteTableId));
        Assert.Empty(configured.Warnings); // a configured table the VPC lacks is an error of the pass (Problems), not a warning

        Assert.Equal(["rtb-x"], ManagedTables.Select("c1", null, tables, instances).Tables.Select(t => t.RouteTableId));
        var associated = ManagedTables.Select("c2", null, tables, instances);
        Assert.Equal(["rtb-a", "rtb-main"], associated.Tables.Select(t => t.RouteTableId));
        Assert.Equal(["rtb-a"], ManagedTables.Select("c2", null, tables, [Snap(1)]).Tables.Select(t => t.RouteTableId));
    }

    [Fact]
    public void Problems_ManagingNothingOrLess_IsAnErrorWithTheReason()
    {
        var tables = new[] { T("rtb-main", main: true), T("rtb-a", subnets: [Host(1).SubnetId]) };
        Assert.Contains("no VPC to manage", Assert.Single(ManagedTables.Problems("c1", null, null, null, [], [])), StringComparison.Ordinal);
        Assert.Contains("controller.vpcId vpc-9: EC2 lists no route table", Assert.Single(ManagedTables.Problems("c1", "vpc-9", null, "vpc-9", [], [])), StringComparison.Ordinal);
        Assert.Contains("rtb-gone does not exist in VPC vpc-1", Assert.Single(ManagedTables.Problems("c1", null, ["rtb-a", "rtb-gone"], "vpc-1", tables, [tables[1]])), StringComparison.Ordinal);
        Assert.Contains("no route table is tagged for cluster c1", Assert.Single(ManagedTables.Problems("c1", null, null, "vpc-1", tables, [])), StringComparison.Ordinal);
        Assert.Empty(ManagedTables.Problems("c1", null, null, "vpc-1", tables, [tables[1]]));
    }

    [Fact]
    public void Vpc_ConfiguredWins_ElseMostLiveInstances_GoneAndBlankIgnored()
    {
        InstanceSnapshot In(int n, string vpc, InstanceLifecycle state = InstanceLifecycle.Running) => Snap(n, state) with { VpcId = vpc };
        List<InstanceSnapshot> instances = [In(1, "vpc-a"), In(2, "vpc-b"), In(3, "vpc-b"), In(4, "vpc-a", InstanceLifecycle.Terminated), In(5, "vpc-a", InstanceLifecycle.ShuttingDown), In(6, ""), In(7, ""), In(8, "")];
        Assert.Equal("vpc-b", ManagedTables.Vpc(null, instances));
        Assert.Equal("vpc-x", ManagedTables.Vpc("vpc-x", instances));
        Assert.Null(ManagedTables.Vpc(null, [In(1, "vpc-a", InstanceLifecycle.Terminated)]));
    }
}
