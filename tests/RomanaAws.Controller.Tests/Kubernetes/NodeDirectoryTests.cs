using RomanaAws.Controller.Kubernetes;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Tests.Kubernetes;

public sealed class NodeDirectoryTests
{
    internal static KubeNode Node(string name, string? providerId, string? zone = null, NodeCondition? condition = null, string version = "1") =>
        new(name, $"uid-{name}", providerId, zone, condition, version);

    [Fact]
    public void Update_MapsNodesToInstances_ReportsBadProviderIdsAndDuplicates_SkipsUnsetOnes()
    {
        var facts = new NodeDirectory().Update([
            Node("a", "aws:///us-east-1a/i-0a000000000000001"),
            Node("b", "gce://p/z/b"),
            Node("c", null),
            Node("d", "aws:///us-east-1a/i-0a000000000000001"),
        ]);
        Assert.Equal(["i-0a000000000000001"], facts.ByInstance.Keys);
        Assert.Equal("a", facts.ByInstance["i-0a000000000000001"].Node.Name);
        Assert.Equal(2, facts.Problems.Count);
        Assert.StartsWith("node b: providerID \"gce://p/z/b\" is not an AWS provider ID", facts.Problems[0], StringComparison.Ordinal);
        Assert.Contains("already the instance of node a; ignoring d", facts.Problems[1], StringComparison.Ordinal);
        Assert.Empty(facts.Deleted);
    }

    [Fact]
    public void Update_ANodeSeenThenGone_IsDeleted_UntilItComesBackOrIsForgotten()
    {
        var directory = new NodeDirectory();
        directory.Update([Node("a", "aws:///us-east-1a/i-0a000000000000001"), Node("b", "aws:///us-east-1a/i-0a000000000000002")]);
        Assert.Equal(["i-0a000000000000002"], directory.Update([Node("a", "aws:///us-east-1a/i-0a000000000000001")]).Deleted);
        Assert.Empty(directory.Update([Node("a", "aws:///us-east-1a/i-0a000000000000001"), Node("b2", "aws:///us-east-1a/i-0a000000000000002")]).Deleted);

        directory.Update([Node("a", "aws:///us-east-1a/i-0a000000000000001")]);
        directory.Forget(["i-0a000000000000002"]);
        Assert.Empty(directory.Update([Node("a", "aws:///us-east-1a/i-0a000000000000001")]).Deleted);
    }

    private static InstanceSnapshot Instance(string id, string zone) =>
        new(id, zone, "subnet-1", "vpc-1", System.Net.IPAddress.Parse("10.0.0.1"), InstanceLifecycle.Running, "eni-1", 1, true, new Dictionary<string, string>());

    [Fact]
    public void Mismatches_ZoneLabelAndProviderZoneAgainstEc2_AndUnknownInstances()
    {
        var facts = new NodeDirectory().Update([
            Node("ok", "aws:///us-east-1a/i-0a000000000000001", "us-east-1a"),
            Node("label", "aws:///us-east-1a/i-0a000000000000002", "us-east-1b"),
            Node("provider", "aws:///us-east-1c/i-0a000000000000003"),
            Node("stranger", "aws:///us-east-1a/i-0f000000000000009"),
        ]);
        var instances = new[] { Instance("i-0a000000000000001", "us-east-1a"), Instance("i-0a000000000000002", "us-east-1a"), Instance("i-0a000000000000003", "us-east-1a") };
        Assert.Equal(
        [
            "node label: label topology.kubernetes.io/zone=us-east-1b, but EC2 has i-0a000000000000002 in us-east-1a",
            "node provider: providerID zone us-east-1c, but EC2 has i-0a000000000000003 in us-east-1a",
            "node stranger: providerID aws:///us-east-1a/i-0f000000000000009 names i-0f000000000000009, which is not an instance of the cluster (check its cluster tags)",
        ], NodeZones.Mismatches(facts, instances));
    }
}
