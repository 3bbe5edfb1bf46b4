namespace RomanaAws.Lab.Build;

/// <summary>
/// A pod of the lab: its network namespace (also its container id and the name its server answers with), node, zone,
/// address, and Kubernetes namespace (the owner of its address, passed to the CNI plugin as <c>K8S_POD_NAMESPACE</c>).
/// </summary>
public sealed record LabPod(string Namespace, string InstanceId, string Zone, string Address, string Owner = "default");
