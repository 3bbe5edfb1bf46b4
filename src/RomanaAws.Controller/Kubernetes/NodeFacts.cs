namespace RomanaAws.Controller.Kubernetes;

/// <summary>A Node and the instance its providerID names.</summary>
public sealed record NodeRef(KubeNode Node, ProviderId Provider);

/// <summary>
/// What Kubernetes says about the cluster's instances at one moment: each instance's Node, the instances whose Node was
/// seen and has been deleted since, and Nodes that name no instance we can use (bad providerID, two Nodes on one instance).
/// </summary>
public sealed record NodeFacts(IReadOnlyDictionary<string, NodeRef> ByInstance, IReadOnlySet<string> Deleted, IReadOnlyList<string> Problems)
{
    /// <summary>Every Node by name with its InternalIP (routing modes bgp and ospf register hosts from these: no providerID there).</summary>
    public IReadOnlyList<Core.Routing.NamedHost> Hosts { get; init; } = [];

    public static NodeFacts Empty { get; } = new(new Dictionary<string, NodeRef>(), new HashSet<string>(), []);
}
