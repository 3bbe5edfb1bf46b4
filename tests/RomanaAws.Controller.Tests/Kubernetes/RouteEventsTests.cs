using RomanaAws.Controller.Kubernetes;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;

namespace RomanaAws.Controller.Tests.Kubernetes;

public sealed class RouteEventsTests
{
    private static readonly Cidr A = Cidr.Parse("100.96.0.0/15");
    private static readonly Cidr B = Cidr.Parse("100.98.0.0/15");

    private static readonly RouteDestination[] Routes =
    [
        new("pods", "us-east-1a", "subnet-a", 0, A, ["i-0a000000000000001", "i-0a000000000000003"]),
        new("pods", "us-east-1a", "subnet-a", 1, B, ["i-0a000000000000002"]),
    ];

    private static readonly NodeFacts Nodes = new NodeDirectory().Update([
        NodeDirectoryTests.Node("master-a", "aws:///us-east-1a/i-0a000000000000001"),
        NodeDirectoryTests.Node("node-a1", "aws:///us-east-1a/i-0a000000000000002"),
    ]);

    [Fact]
    public void For_EachNodeOfTheFailedGroup_OneEventPerReason()
    {
        RouteFailure[] failures =
        [
            new(RouteFailureKind.FailedToCreateRoute, "rtb-1", A, "i-0a000000000000001", "Create 100.96.0.0/15 in rtb-1: InternalError: boom"),
            new(RouteFailureKind.FailedToCreateRoute, "rtb-2", A, "i-0a000000000000001", "Create 100.96.0.0/15 in rtb-2: InternalError: boom"),
            new(RouteFailureKind.RouteLimitExceeded, "rtb-1", B, "i-0a000000000000002", "Create 100.98.0.0/15 in rtb-1: RouteLimitExceeded: full"),
        ];
        var events = RouteEvents.For(failures, Routes, Nodes);
        Assert.Equal(
        [
            new NodeEvent("master-a", "uid-master-a", "FailedToCreateRoute", "RomanaAws: route of the node's group: Create 100.96.0.0/15 in rtb-1: InternalError: boom (and 1 more)"),
            new NodeEvent("node-a1", "uid-node-a1", "RouteLimitExceeded", "RomanaAws: route of the node's group: Create 100.98.0.0/15 in rtb-1: RouteLimitExceeded: full"),
        ], events);
    }

    [Fact]
    public void Throttle_OncePerNodeAndReasonPerWindow()
    {
        var throttle = new EventThrottle(TimeSpan.FromMinutes(5));
        var at = DateTimeOffset.UnixEpoch;
        var failed = new NodeEvent("n", "u", "FailedToCreateRoute", "m");
        Assert.True(throttle.Allow(failed, at));
        Assert.False(throttle.Allow(failed with { Message = "other" }, at.AddMinutes(4)));
        Assert.True(throttle.Allow(failed with { Reason = "RouteLimitExceeded" }, at.AddMinutes(4)));
        Assert.True(throttle.Allow(failed, at.AddMinutes(5)));
    }

    [Fact]
    public void OverBudget_SkippedCreates_AreRouteLimitExceeded()
    {
        var plan = new Core.Routing.ReconcilePlan([], [new Core.Routing.TableBudget("rtb-1", 50, 5, 44, 0, 2, 45, 1) { Skipped = [B] }], [], []);
        var failure = Assert.Single(RouteFailure.OverBudget(plan, []));
        Assert.Equal((RouteFailureKind.RouteLimitExceeded, "rtb-1", B), (failure.Kind, failure.RouteTableId, failure.Destination));
        Assert.Contains("at its budget (44 routes not ours + 2 wanted > routeLimit 50 − routeHeadroom 5)", failure.Message, StringComparison.Ordinal);
    }
}
