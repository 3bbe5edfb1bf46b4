namespace RomanaAws.CniProtocol;

/// <summary>
/// What the plugin sends on ADD. <paramref name="Owner"/>: the pod's namespace (or the configured default owner);
/// <paramref name="PodNamespace"/> and <paramref name="PodName"/>: what the runtime passed (K8S_POD_NAMESPACE,
/// K8S_POD_NAME), so an agent that reads the API can decide the owner from the pod itself (its romana.io/segment label).
/// </summary>
public sealed record CniAddRequest(string ContainerId, string IfName, string Owner, string? Netns, string? PodNamespace = null, string? PodName = null);
