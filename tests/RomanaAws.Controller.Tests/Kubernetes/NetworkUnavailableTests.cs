using System.Text.Json;
using RomanaAws.Controller.Kubernetes;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Tests.Kubernetes;

public sealed class NetworkUnavailableTests
{
    private const string Host = "i-0a000000000000001";
    private static readonly Cidr Group = Cidr.Parse("100.96.0.0/15");
    private static readonly Cidr Overflow = Cidr.Parse("100.98.0.0/16");

    private static RouteFacts Facts(string[]? tables = null, (string, Cidr)[]? inSync = null, Cidr[]? failed = null) => new(
        new Dictionary<string, IReadOnlyList<Cidr>> { [Host] = [Group, Overflow] },
        tables ?? ["rtb-1", "rtb-2"],
        (inSync ?? [("rtb-1", Group), ("rtb-1", Overflow), ("rtb-2", Group), ("rtb-2", Overflow)]).ToHashSet(),
        (failed ?? []).ToHashSet());

    [Fact]
    public void Wanted_EveryGroupRouteInEveryTable_AndHealthy_IsFalseRouteCreated()
    {
        var wanted = NetworkUnavailable.Wanted(Host, Facts(), TargetHealth.Healthy);
        Assert.Equal(("False", "RouteCreated"), (wanted.Status, wanted.Reason));
        Assert.Equal("RomanaAws created the routes of the node's group (100.96.0.0/15, 100.98.0.0/16) in every route table (2)", wanted.Message);
    }

    [Fact]
    public void Wanted_ARouteMissingInOneTable_IsTrueNoRouteCreated_NamingIt()
    {
        var wanted = NetworkUnavailable.Wanted(Host, Facts(inSync: [("rtb-1", Group), ("rtb-1", Overflow), ("rtb-2", Group)]), TargetHealth.Healthy);
        Assert.Equal(("True", "NoRouteCreated", "RomanaAws has not created the route 100.98.0.0/16 in rtb-2"), (wanted.Status, wanted.Reason, wanted.Message));
    }

    [Fact]
    public void Wanted_AFailedWriteThisPass_IsTrueNoRouteCreated_EvenIfTheViewSaysInSync()
    {
        var wanted = NetworkUnavailable.Wanted(Host, Facts(failed: [Group]), TargetHealth.Healthy);
        Assert.Equal(("True", "NoRouteCreated", "RomanaAws has not created the route 100.96.0.0/15 in rtb-1 (and 1 more)"), (wanted.Status, wanted.Reason, wanted.Message));
    }

    [Theory]
    [InlineData(TargetHealth.Failed, "failed")]
    [InlineData(TargetHealth.Questionable, "questionable")]
    [InlineData(null, "not seen")]
    public void Wanted_AgentNotHealthy_IsTrueAgentUnhealthy(TargetHealth? health, string said)
    {
        var wanted = NetworkUnavailable.Wanted(Host, Facts(), health);
        Assert.Equal(("True", "AgentUnhealthy", $"RomanaAws: the node agent on {Host} is {said}"), (wanted.Status, wanted.Reason, wanted.Message));
    }

    [Fact]
    public void Wanted_NoHostOrNoTables_IsTrue()
    {
        Assert.Equal("HostNotRegistered", NetworkUnavailable.Wanted("i-0f000000000000009", Facts(), TargetHealth.Healthy).Reason);
        Assert.Equal(("True", "NoRouteCreated"), NetworkUnavailable.Wanted(Host, Facts(tables: []), TargetHealth.Healthy) is var c ? (c.Status, c.Reason) : default);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("False", "RouteCreated", false)]
    [InlineData("False", "SomethingElse", true)]
    [InlineData("True", "RouteCreated", true)]
    public void Differs_StatusOrReason_NotTheMessage(string? status, string? reason, bool differs)
    {
        var current = status is null ? null : new NodeCondition(status, reason, "another message");
        Assert.Equal(differs, NetworkUnavailable.Differs(current, new NodeCondition("False", "RouteCreated", "RomanaAws created a route")));
    }

    [Fact]
    public void ShouldWrite_NotAgainForTheSameNodeVersion_AgainOnceTheNodeChanged()
    {
        var wanted = new NodeCondition("False", "RouteCreated", "m");
        var node = NodeDirectoryTests.Node("a", "aws:///us-east-1a/" + Host, version: "7");
        Assert.True(NetworkUnavailable.ShouldWrite(node, wanted, null));
        Assert.False(NetworkUnavailable.ShouldWrite(node, wanted, (wanted, "7")));
        Assert.True(NetworkUnavailable.ShouldWrite(node, wanted, (new NodeCondition("True", "NoRouteCreated", "m"), "7")));
        Assert.True(NetworkUnavailable.ShouldWrite(node with { ResourceVersion = "8" }, wanted, (wanted, "7")));
        Assert.False(NetworkUnavailable.ShouldWrite(node with { NetworkUnavailable = wanted }, wanted, null));
    }

    [Fact]
    public void Patch_IsTheRouteControllersStrategicMergePatch()
    {
        var json = NetworkUnavailable.Patch(new NodeCondition("False", "RouteCreated", "RomanaAws created a route"), new DateTimeOffset(2021, 3, 1, 10, 0, 0, 123, TimeSpan.Zero));
        Assert.Equal("""{"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","lastHeartbeatTime":"2021-03-01T10:00:00Z","lastTransitionTime":"2021-03-01T10:00:00Z","reason":"RouteCreated","message":"RomanaAws created a route"}]}}""", json);
        using var _ = JsonDocument.Parse(json);
    }
}
