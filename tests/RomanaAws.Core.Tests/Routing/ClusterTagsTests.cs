using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Tests.Routing;

public sealed class ClusterTagsTests
{
    private static readonly ClusterTags Tags = new("c1");

    private static Dictionary<string, string> T(params (string Key, string Value)[] tags) => tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    [Theory]
    [InlineData("KubernetesCluster", "c1", true)]
    [InlineData("kubernetes.io/cluster/c1", "owned", true)]
    [InlineData("kubernetes.io/cluster/c1", "shared", true)]
    [InlineData("kubernetes.io/cluster/c1", "", false)]
    [InlineData("kubernetes.io/cluster/c1", "other", false)]
    [InlineData("KubernetesCluster", "c2", false)]
    [InlineData("kubernetes.io/cluster/c2", "owned", false)]
    [InlineData("Name", "c1", false)]
    public void MarksInstance_EitherClusterTag(string key, string value, bool expected) =>
        Assert.Equal(expected, Tags.MarksInstance(T((key, value))));

    [Theory]
    [InlineData("KubernetesCluster", "c1", true, false)]
    [InlineData("kubernetes.io/cluster/c1", "owned", false, true)]
    [InlineData("kubernetes.io/cluster/c1", "shared", false, true)]
    [InlineData("KubernetesCluster", "c2", false, false)]
    [InlineData("Name", "c1", false, false)]
    public void MarksTable_OnlyTheTagTheIamPolicyReads(string key, string value, bool managed, bool kubernetesOnly)
    {
        Assert.Equal(managed, Tags.MarksTable(T((key, value))));
        Assert.Equal(kubernetesOnly, Tags.MarksTableForKubernetesOnly(T((key, value))));
    }

    [Fact]
    public void BothTags_MarkInstanceAndTable()
    {
        var kops = T(("KubernetesCluster", "c1"), ("kubernetes.io/cluster/c1", "owned"));
        Assert.True(Tags.MarksInstance(kops));
        Assert.True(Tags.MarksTable(kops));
        Assert.False(Tags.MarksTableForKubernetesOnly(kops));
        Assert.Equal(["KubernetesCluster", "kubernetes.io/cluster/c1"], Tags.InstanceKeys);
    }

    [Fact]
    public void Select_TableTaggedOnlyForKubernetes_IsNotManagedByTag_AndIsWarnedAbout()
    {
        var instance = new InstanceSnapshot("i-0000000000000000a", "us-east-1a", "subnet-a", "vpc-1", System.Net.IPAddress.Loopback, InstanceLifecycle.Running, "eni-a", 1, true, T());
        RouteTableSnapshot Table(string id, Dictionary<string, string> tags, params string[] subnets) => new(id, "vpc-1", false, subnets, [], tags);
        var legacy = Table("rtb-legacy", T(("KubernetesCluster", "c1")));
        var kubernetesOnly = Table("rtb-k8s", T(("kubernetes.io/cluster/c1", "owned")), "subnet-a");

        var selection = ManagedTables.Select("c1", null, [legacy, kubernetesOnly], [instance]);
        Assert.Equal("tagged rtb-legacy", $"{selection.How} {string.Join(",", selection.Tables.Select(t => t.RouteTableId))}");
        Assert.Contains("rtb-k8s is tagged kubernetes.io/cluster/c1 but not KubernetesCluster=c1", Assert.Single(selection.Warnings), StringComparison.Ordinal);

        // Without a KubernetesCluster table, the association fallback applies, and says the IAM policy cannot write there.
        var fallback = ManagedTables.Select("c1", null, [kubernetesOnly], [instance]);
        Assert.Equal("associated with cluster subnets rtb-k8s", $"{fallback.How} {string.Join(",", fallback.Tables.Select(t => t.RouteTableId))}");
        Assert.Contains(fallback.Warnings, w => w.Contains("the shipped IAM policy does not let the controller write in", StringComparison.Ordinal));
    }
}
