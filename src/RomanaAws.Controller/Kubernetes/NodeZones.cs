using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// Node placement checked against EC2: the <c>topology.kubernetes.io/zone</c> label and the providerID's zone must be
/// the instance's availability zone, and the instance must be one of the cluster's. Pure; each mismatch is one warning.
/// </summary>
public static class NodeZones
{
    public static IReadOnlyList<string> Mismatches(NodeFacts nodes, IReadOnlyList<InstanceSnapshot> instances)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(instances);
        var byId = instances.GroupBy(i => i.InstanceId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (instanceId, (node, provider)) in nodes.ByInstance.OrderBy(n => n.Value.Node.Name, StringComparer.Ordinal))
        {
            if (!byId.TryGetValue(instanceId, out var instance))
            {
                problems.Add($"node {node.Name}: providerID {node.ProviderId} names {instanceId}, which is not an instance of the cluster (check its cluster tags)");
                continue;
            }

            if (node.ZoneLabel is { } label && label != instance.Zone)
            {
                problems.Add($"node {node.Name}: label {KubeNode.ZoneLabelKey}={label}, but EC2 has {instanceId} in {instance.Zone}");
            }

            if (provider.Zone is { } zone && zone != instance.Zone)
            {
                problems.Add($"node {node.Name}: providerID zone {zone}, but EC2 has {instanceId} in {instance.Zone}");
            }
        }

        return problems;
    }
}
