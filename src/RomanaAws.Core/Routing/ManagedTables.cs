namespace RomanaAws.Core.Routing;

/// <summary>
/// Which route tables the controller manages: an explicit list from configuration wins; else the tables tagged for
/// the cluster (<c>KubernetesCluster=NAME</c>, the tag its IAM policy lets it write in: <see cref="ClusterTags"/>); else
/// the tables serving the cluster instances' subnets — the VPC's main table for subnets with no explicit association. Pure.
/// </summary>
public static class ManagedTables
{
    /// <summary>The cluster's VPC: the configured one, else the VPC of most live cluster instances (null when none).</summary>
    public static string? Vpc(string? configured, IReadOnlyList<InstanceSnapshot> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        return configured ?? instances.Where(i => !i.IsGone && i.VpcId.Length > 0).GroupBy(i => i.VpcId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
    }

    /// <summary>The tables to manage. Configured ids the VPC lacks are not warned about here: <see cref="Problems"/> makes them errors.</summary>
    public static TableSelection Select(
        string clusterName, IReadOnlyList<string>? explicitIds, IReadOnlyList<RouteTableSnapshot> vpcTables, IReadOnlyList<InstanceSnapshot> instances)
    {
        ArgumentNullException.ThrowIfNull(vpcTables);
        ArgumentNullException.ThrowIfNull(instances);
        if (explicitIds is { Count: > 0 })
        {
            return new(vpcTables.Where(t => explicitIds.Contains(t.RouteTableId)).ToList(), "configured", []);
        }

        var tags = new ClusterTags(clusterName);
        var warnings = vpcTables.Where(t => tags.MarksTableForKubernetesOnly(t.Tags))
            .Select(t => $"route table {t.RouteTableId} is tagged {tags.KubernetesKey} but not {tags.TableTagging}, so it is not managed by tag: the IAM policy allows route writes only in tables tagged {tags.TableTagging}; add that tag to manage it")
            .ToList();
        var tagged = vpcTables.Where(t => tags.MarksTable(t.Tags)).ToList();
        if (tagged.Count > 0)
        {
            return new(tagged, "tagged", warnings);
        }

        var subnets = instances.Where(i => !i.IsGone).Select(i => i.SubnetId).ToHashSet(StringComparer.Ordinal);
        var associated = vpcTables.Where(t => t.Subnets.Any(subnets.Contains)).ToList();
        var covered = associated.SelectMany(t => t.Subnets).ToHashSet(StringComparer.Ordinal);
        if (subnets.Any(s => !covered.Contains(s)) && vpcTables.FirstOrDefault(t => t.IsMain) is { } main && !associated.Contains(main))
        {
            associated.Add(main);
        }

        if (associated.Count > 0)
        {
            warnings.Add($"no route table is tagged {tags.TableTagging}; managing the {associated.Count} table(s) serving the cluster's subnets, which the shipped IAM policy does not let the controller write in (tag them {tags.TableTagging})");
        }

        return new(associated.OrderBy(t => t.RouteTableId, StringComparer.Ordinal).ToList(), "associated with cluster subnets", warnings);
    }

    /// <summary>
    /// Why a pass would manage less than was asked for, as errors: managing nothing when something was configured (or
    /// when nothing could be found) is a failure with a reason, never a quiet success. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Problems(
        string clusterName, string? configuredVpc, IReadOnlyList<string>? explicitIds, string? vpc, IReadOnlyList<RouteTableSnapshot> vpcTables, IReadOnlyList<RouteTableSnapshot> managed)
    {
        ArgumentNullException.ThrowIfNull(vpcTables);
        ArgumentNullException.ThrowIfNull(managed);
        if (vpc is null)
        {
            return [$"no VPC to manage: EC2 lists no running instance tagged {new ClusterTags(clusterName).InstanceTagging}, and controller.vpcId is not set; check the cluster name, the region and aws.ec2ServiceUrl"];
        }

        if (vpcTables.Count == 0)
        {
            return [configuredVpc is not null
                ? $"controller.vpcId {configuredVpc}: EC2 lists no route table in it (every VPC has a main table); does the VPC exist in this account and region?"
                : $"VPC {vpc}: EC2 lists no route table in it (every VPC has a main table); check the region and aws.ec2ServiceUrl"];
        }

        var problems = new List<string>();
        if (explicitIds is { Count: > 0 })
        {
            problems.AddRange(Missing(explicitIds, vpcTables).Select(id => $"controller.routeTables: {id} does not exist in VPC {vpc}; remove it or fix the id"));
        }
        else if (managed.Count == 0)
        {
            problems.Add($"VPC {vpc}: no route table is tagged for cluster {clusterName} or serves its instances' subnets; tag the tables ({new ClusterTags(clusterName).TableTagging}) or list them in controller.routeTables");
        }

        return problems;
    }

    /// <summary>Configured table ids that the VPC does not have.</summary>
    private static IEnumerable<string> Missing(IReadOnlyList<string> explicitIds, IReadOnlyList<RouteTableSnapshot> vpcTables) =>
        explicitIds.Where(id => vpcTables.All(t => t.RouteTableId != id));
}
