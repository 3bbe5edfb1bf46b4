using k8s.Models;
using RomanaAws.Agent.Policy;

namespace RomanaAws.Agent.Kubernetes;

/// <summary>
/// The owner a new pod's address comes from and the pod network it asks for (its <c>romana.io/network</c>, null when
/// it names none), or why it cannot be decided now.
/// </summary>
public sealed record OwnerDecision(string? Owner, string? Problem, string? Network = null)
{
    public static OwnerDecision Of(string owner, string? network = null) => new(owner, null, network);

    public static OwnerDecision Fail(string problem) => new(null, problem);
}

/// <summary>
/// The owner of a pod's address, from the pod as the API has it: its namespace, or <c>namespace/segment</c> when it
/// carries <c>romana.io/segment</c>; and the network its annotation <c>romana.io/network</c> names (checked against the
/// topology by the caller, which knows it). Pure. Read once, at ADD: a pod keeps its address (and so its block's owner) for
/// life, so relabelling the segment later does not move it (the policy compiler's owner shortcut relies on this).
/// </summary>
public static class PodOwner
{
    public static OwnerDecision Decide(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata?.NamespaceProperty is { Length: > 0 } n ? n : "default";
        var network = pod.Metadata?.Annotations?.TryGetValue(Ipam.NetworkChoice.Annotation, out var named) == true && !string.IsNullOrEmpty(named) ? named : null;
        if (pod.Metadata?.Labels?.TryGetValue(ClusterView.SegmentLabel, out var segment) != true || string.IsNullOrEmpty(segment))
        {
            return OwnerDecision.Of(ns, network);
        }

        return segment.Contains('/', StringComparison.Ordinal)
            ? OwnerDecision.Fail($"pod {ns}/{pod.Metadata!.Name}: label {ClusterView.SegmentLabel} '{segment}' may not contain '/'")
            : OwnerDecision.Of($"{ns}/{segment}", network);
    }
}
