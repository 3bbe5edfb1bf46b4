namespace RomanaAws.Core.Routing;

/// <summary>
/// What "tagged for the cluster" means, in one place (instance discovery, table selection, preflight). kops tags the
/// cluster's instances and route tables <c>KubernetesCluster=NAME</c>, and its instances also
/// <c>kubernetes.io/cluster/NAME=owned|shared</c>. An instance is the cluster's when it carries either. A route table is
/// the cluster's only when it carries <c>KubernetesCluster=NAME</c>: that is the condition of the controller's IAM policy
/// on route writes (<c>ec2:ResourceTag/KubernetesCluster</c> in cloudformation/romana-aws.yaml and
/// kops-addon/cluster-spec.yaml), so a table tagged only <c>kubernetes.io/cluster/NAME</c> would be selected and then have
/// every write refused. Pure.
/// </summary>
public sealed record ClusterTags(string Cluster)
{
    /// <summary>The tag the IAM policy's route-write condition reads.</summary>
    public const string LegacyKey = "KubernetesCluster";

    /// <summary>The cloud provider's per-cluster tag key, <c>kubernetes.io/cluster/NAME</c> (value <c>owned</c> or <c>shared</c>).</summary>
    public string KubernetesKey => $"kubernetes.io/cluster/{Cluster}";

    /// <summary>Tag keys an instance of the cluster carries one of (a DescribeInstances <c>tag-key</c> filter; <see cref="MarksInstance"/> decides).</summary>
    public IReadOnlyList<string> InstanceKeys => [LegacyKey, KubernetesKey];

    /// <summary>How an operator tags an instance for the cluster, for messages.</summary>
    public string InstanceTagging => $"{LegacyKey}={Cluster} or {KubernetesKey}=owned|shared";

    /// <summary>How an operator tags a route table for the cluster, for messages and fixes.</summary>
    public string TableTagging => $"{LegacyKey}={Cluster}";

    public bool MarksInstance(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return HasLegacyTag(tags) || (tags.TryGetValue(KubernetesKey, out var value) && value is "owned" or "shared");
    }

    /// <summary>A route table the controller manages by tag and its IAM policy lets it write routes in.</summary>
    public bool MarksTable(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return HasLegacyTag(tags);
    }

    /// <summary>A table tagged <c>kubernetes.io/cluster/NAME</c> but not <c>KubernetesCluster=NAME</c>: not managed by tag, worth a warning.</summary>
    public bool MarksTableForKubernetesOnly(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return !HasLegacyTag(tags) && tags.ContainsKey(KubernetesKey);
    }

    private bool HasLegacyTag(IReadOnlyDictionary<string, string> tags) => tags.TryGetValue(LegacyKey, out var value) && value == Cluster;
}
