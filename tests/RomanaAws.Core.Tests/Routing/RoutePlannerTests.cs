using RomanaAws.Core.Routing;
using static RomanaAws.Core.Tests.Routing.RoutingFixtures;

namespace RomanaAws.Core.Tests.Routing;

/// <summary>The planner as a table: initial tables + desired routes → expected operations.</summary>
public sealed class RoutePlannerTests
{
    private static List<string> Ops(ReconcilePlan plan) => plan.Operations.Select(o => $"{o.Kind} {o.RouteTableId} {o.Destination}" + (o.Target is null ? string.Empty : $" {o.Target.InstanceId}")).ToList();

    public static TheoryData<string, RouteTableSnapshot[], DesiredRoute[], string[]> Cases() => new()
    {
        {
            "empty → converged",
            [Table("rtb-a", Nat()), Table("rtb-b")],
            [Want("100.96.0.0/16", 1), Want("100.97.0.0/16", 2)],
            ["Create rtb-a 100.96.0.0/16 i-1", "Create rtb-a 100.97.0.0/16 i-2", "Create rtb-b 100.96.0.0/16 i-1", "Create rtb-b 100.97.0.0/16 i-2"]
        },
        {
            "converged → nothing",
            [Table("rtb-a", Nat(), ToEni("100.96.0.0/16", 1), ToEni("100.97.0.0/16", 2))],
            [Want("100.96.0.0/16", 1), Want("100.97.0.0/16", 2)],
            []
        },
        {
            "wrong target and blackhole → replace",
            [Table("rtb-a", ToEni("100.96.0.0/16", 9), ToEni("100.97.0.0/16", 3, RouteState.Blackhole))],
            [Want("100.96.0.0/16", 1), Want("100.97.0.0/16", 2, TargetChoice.Failover)],
            ["Replace rtb-a 100.96.0.0/16 i-1", "Replace rtb-a 100.97.0.0/16 i-2"]
        },
        {
            "stale owned → deleted after creates; foreign left alone",
            [Table("rtb-a", Nat(), Peering(), ToEni("100.120.0.0/16", 3), ToEni("10.99.0.0/16", 7))],
            [Want("100.96.0.0/16", 1)],
            ["Create rtb-a 100.96.0.0/16 i-1", "Delete rtb-a 100.120.0.0/16"]
        },
        {
            "partial → only what is missing",
            [Table("rtb-a", ToEni("100.96.0.0/16", 1)), Table("rtb-b")],
            [Want("100.96.0.0/16", 1)],
            ["Create rtb-b 100.96.0.0/16 i-1"]
        },
        {
            "foreign route on our destination → left, never replaced",
            [Table("rtb-a", Peering("100.96.0.0/16"))],
            [Want("100.96.0.0/16", 1)],
            []
        },
        {
            "no healthy target: no route created; a blackhole to the same target is left alone (re-writing it changes nothing)",
            [Table("rtb-a", ToEni("100.97.0.0/16", 2, RouteState.Blackhole))],
            [Want("100.96.0.0/16", null, TargetChoice.NoHealthyTarget), new(RomanaAws.Core.Net.Cidr.Parse("100.97.0.0/16"), "pods", "a", "s", 1, Target(2), TargetChoice.NoHealthyTarget, Target(2))],
            []
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_Table(string scenario, RouteTableSnapshot[] tables, DesiredRoute[] desired, string[] expected)
    {
        var plan = RoutePlanner.Plan(desired, tables, Networks, Limits);
        Assert.True(expected.SequenceEqual(Ops(plan)), $"{scenario}: got [{string.Join(", ", Ops(plan))}]");
    }

    [Fact]
    public void Plan_StaleBeyondCap_DeletesOnlyTheCap()
    {
        var stale = Enumerable.Range(0, 12).Select(i => ToEni($"100.{96 + i}.0.0/16", i)).ToArray();
        var plan = RoutePlanner.Plan([], [Table("rtb-a", stale)], Networks, Limits);
        Assert.Equal(5, plan.Operations.Count);
        Assert.All(plan.Operations, o => Assert.Equal(RouteOperationKind.Delete, o.Kind));
        Assert.Contains(plan.Warnings, w => w.Contains("12 stale routes, deleting 5", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_OverBudget_CreatesUpToTheBudgetAndReports()
    {
        // 40 foreign routes + local: budget 45 leaves room for 4 of 10 wanted routes.
        var foreign = Enumerable.Range(0, 40).Select(i => Peering($"10.{i}.0.0/16")).ToArray();
        var desired = Enumerable.Range(0, 10).Select(i => Want($"100.{96 + i}.0.0/16", i)).ToArray();
        var plan = RoutePlanner.Plan(desired, [Table("rtb-a", foreign)], Networks, Limits);
        Assert.Equal(4, plan.Operations.Count);
        var budget = Assert.Single(plan.Budgets);
        Assert.True(budget.OverBudget);
        Assert.Equal((41, 0, 10, 45, 6), (budget.Foreign, budget.Owned, budget.Desired, budget.AfterPlan, budget.SkippedForBudget));
        Assert.Equal(desired.Skip(4).Select(d => d.Destination), budget.Skipped);
        Assert.Contains(plan.Warnings, w => w.Contains("over budget: 41 routes not ours + 10 wanted > 45", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_TableFilledBySomeoneElse_NoCreateAtAll()
    {
        var foreign = Enumerable.Range(0, 49).Select(i => Peering($"10.{i}.0.0/16")).ToArray();
        var plan = RoutePlanner.Plan([Want("100.96.0.0/16", 1)], [Table("rtb-a", foreign)], Networks, Limits);
        Assert.Empty(plan.Operations);
        Assert.Equal(1, plan.Budgets[0].SkippedForBudget);
    }

    [Fact]
    public void Plan_SourceDestCheck_OnlyWhereOnAndNotGone()
    {
        var routers = new[] { Instance(1, sourceDestCheck: true), Instance(2), Instance(3, InstanceLifecycle.Terminated, sourceDestCheck: true), Instance(4, InstanceLifecycle.Stopped, sourceDestCheck: true) };
        var plan = RoutePlanner.Plan([], [], Networks, Limits, routers);
        Assert.Equal([("i-1", "eni-1"), ("i-4", "eni-4")], plan.DisableSourceDestCheck.Select(t => (t.InstanceId, t.NetworkInterfaceId)));
        Assert.False(plan.IsConverged);
    }

    [Fact]
    public void Ownership_OnlyManagedDestinationsToInstancesOrEnis()
    {
        Assert.True(RouteOwnership.IsOwned(ToEni("100.96.0.0/16", 1), Networks));
        Assert.False(RouteOwnership.IsOwned(ToEni("0.0.0.0/0", 1), Networks)); // a NAT instance's default route
        Assert.False(RouteOwnership.IsOwned(Peering("100.96.0.0/16"), Networks));
        Assert.False(RouteOwnership.IsOwned(Local(), Networks));
        Assert.False(RouteOwnership.IsOwned(ToEni("100.64.0.0/10", 1), Networks)); // wider than the pod network
        Assert.False(RouteOwnership.IsOwned(new RouteEntry("pl-1234", RouteTargetKind.Gateway, "vpce-1", null, null, RouteState.Active, "CreateRoute"), Networks));
    }
}
