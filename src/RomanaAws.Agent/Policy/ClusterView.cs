using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>A namespace and its labels (the API adds <c>kubernetes.io/metadata.name</c>; so does <see cref="Of"/>).</summary>
public sealed record NamespaceInfo(string Name, IReadOnlyDictionary<string, string> Labels)
{
    public static NamespaceInfo Of(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [ClusterView.NamespaceNameLabel] = name };
        return new NamespaceInfo(name, all);
    }
}

/// <summary>A container port with a name: what a named port in a policy resolves to on this pod.</summary>
public sealed record NamedPort(string Name, string Protocol, int Port);

/// <summary>A pod as policy sees it: where it lives, its labels, its address (a /32) and its named ports.</summary>
public sealed record PodInfo(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, Cidr Address, IReadOnlyList<NamedPort> Ports)
{
    public string Key => $"{Namespace}/{Name}";
}

/// <summary>
/// What the compiler needs to know of the cluster besides blocks: namespaces with labels and pods with labels and
/// addresses. From the API watch, or from Namespace and Pod objects in the policy directory. A namespace that only
/// appears in an owner or a pod is taken with just its name label.
/// </summary>
public sealed record ClusterView(IReadOnlyList<NamespaceInfo> Namespaces, IReadOnlyList<PodInfo> Pods)
{
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";
    public const string SegmentLabel = "romana.io/segment";

    public static ClusterView Empty { get; } = new([], []);
}
