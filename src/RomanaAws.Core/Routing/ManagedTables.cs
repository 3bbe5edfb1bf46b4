namespace RomanaAws.Core.Routing;

/// <summary>
/// Which route tables the controller manages: an explicit list from configuration wins; else the tables tagged for
/// the cluster (<c>KubernetesCluster=NAME</c> or <c>kubernetes.io/cluster/NAME</c>); else the tables serving the
/// cluster instances' subnets — the VPC's main table for subnets with no explicit association. Pure.
/// </summary>
public static class ManagedTables
{
    /// <summary>The cluster's VPC: the configured one, else the VPC of most live cluster instances (null when none).</summary>
    public static string? Vpc(string? configured, IReadOnlyList<InstanceSnapshot> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        return configured ?? instances.Where(i => !i.IsGone && i.VpcId.Length > 0).GroupBy(i => i.VpcId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
    }

    public static (IReadOnlyList<RouteTableSnapshot> Tables, string How, IReadOnlyList<string> Warnings) Select(
        string clusterName, IReadOnlyList<string>? explicitIds, IReadOnlyList<RouteTableSnapshot> vpcTables, IReadOnlyList<InstanceSnapshot> instances)
    {
        ArgumentNullException.ThrowIfNull(vpcTables);
        ArgumentNullException.ThrowIfNull(instances);
        if (explicitIds is { Count: > 0 })
        {
            var missing = explicitIds.Where(id => vpcTables.All(t => t.RouteTableId != id)).ToList();
            return (vpcTables.Where(t => explicitIds.Contains(t.RouteTableId)).ToList(), "configured", missing.Select(id => $"route table {id} is configured but does not exist in the VPC").ToList());
        }

        var clusterTag = $"kubernetes.io/cluster/{clusterName}";
        var tagged = vpcTables.Where(t => (t.Tags.TryGetValue("KubernetesCluster", out var v) && v == clusterName) || t.Tags.ContainsKey(clusterTag)).ToList();
        if (tagged.Count > 0)
        {
            return (tagged, "tagged", []);
        }

        var subnets = instances.Where(i => !i.IsGone).Select(i => i.SubnetId).ToHashSet(StringComparer.Ordinal);
        var associated = vpcTables.Where(t => t.Subnets.Any(subnets.Contains)).ToList();
        var covered = associated.SelectMany(t => t.Subnets).ToHashSet(StringComparer.Ordinal);
        if (subnets.Any(s => !covered.Contains(s)) && vpcTables.FirstOrDefault(t => t.IsMain) is { } main && !associated.Contains(main))
        {
            associated.Add(main);
        }

        return (associated.OrderBy(t => t.RouteTableId, StringComparer.Ordinal).ToList(), "associated with cluster subnets", []);
    }
}
