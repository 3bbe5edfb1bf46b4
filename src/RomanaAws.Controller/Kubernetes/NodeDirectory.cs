namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// Nodes ↔ instances through <c>spec.providerID</c>, and which Nodes were deleted: an instance whose Node this process has
/// seen and no Node names any more. A Node without a providerID yet (the kubelet or cloud provider sets it) is skipped
/// quietly; one with a providerID that is not AWS's is a problem. Pure and unit-tested; one caller at a time.
/// </summary>
public sealed class NodeDirectory
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public NodeFacts Update(IEnumerable<KubeNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        nodes = nodes.ToList();
        var byInstance = new Dictionary<string, NodeRef>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var node in nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(node.ProviderId))
            {
                continue;
            }

            if (!ProviderId.TryParse(node.ProviderId, out var id, out var error))
            {
                problems.Add($"node {node.Name}: {error}");
                continue;
            }

            if (byInstance.TryGetValue(id.InstanceId, out var first))
            {
                problems.Add($"node {node.Name}: providerID {node.ProviderId} names {id.InstanceId}, already the instance of node {first.Node.Name}; ignoring {node.Name}");
                continue;
            }

            byInstance[id.InstanceId] = new NodeRef(node, id);
        }

        _seen.UnionWith(byInstance.Keys);
        var deleted = _seen.Where(i => !byInstance.ContainsKey(i)).ToHashSet(StringComparer.Ordinal);
        var hosts = nodes.Where(n => n.InternalIp is not null).OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => new Core.Routing.NamedHost(n.Name, n.InternalIp!)).ToList();
        return new NodeFacts(byInstance, deleted, problems) { Hosts = hosts };
    }

    /// <summary>Forgets deleted Nodes of instances that are no longer hosts (their removal is done).</summary>
    public void Forget(IEnumerable<string> instanceIds)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        foreach (var id in instanceIds)
        {
            _seen.Remove(id);
        }
    }
}
