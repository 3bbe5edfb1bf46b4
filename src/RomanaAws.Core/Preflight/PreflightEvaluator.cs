using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Preflight;

/// <summary>How one API call went: allowed (for a dry run, "would have succeeded"), denied by IAM, or failed otherwise.</summary>
public enum CallOutcome
{
    Allowed,
    Denied,
    Failed,
}

/// <summary>One API call made by the preflight, by IAM action name (<c>ec2:CreateRoute</c>), with what it said.</summary>
public sealed record CallResult(string Action, CallOutcome Outcome, string? Detail = null, string? Resource = null);

/// <summary>One line of the checklist: what was checked, whether it passed, what was seen, and how to fix a failure.</summary>
public sealed record PreflightCheck(string Name, bool Ok, string Detail, string? Fix = null);

/// <summary>What the preflight saw in the account (gathered by the thin runner; every decision is made here).</summary>
public sealed record PreflightObservation
{
    public required string Cluster { get; init; }

    public required CallResult DescribeInstances { get; init; }

    public IReadOnlyList<InstanceSnapshot> Instances { get; init; } = [];

    public string? VpcId { get; init; }

    public CallResult? DescribeRouteTables { get; init; }

    /// <summary>The tables the controller would manage (<see cref="ManagedTables.Select"/>), how they were chosen, and its warnings.</summary>
    public TableSelection Selection { get; init; } = TableSelection.None;

    /// <summary>What the controller would report as errors of its pass about the selection (<see cref="ManagedTables.Problems"/>).</summary>
    public IReadOnlyList<string> SelectionProblems { get; init; } = [];

    public required IReadOnlyList<Cidr> Networks { get; init; }

    public required int PlannedRoutes { get; init; }

    public required int RouteLimit { get; init; }

    public required int RouteHeadroom { get; init; }

    public CallResult? DescribeInstanceStatus { get; init; }

    /// <summary>Dry-run writes: route writes per table and the source/destination-check change.</summary>
    public IReadOnlyList<CallResult> DryRuns { get; init; } = [];

    public CallResult? PutMetricData { get; init; }
}

/// <summary>Turns what the preflight saw into a checklist with a fix for every failure. Pure.</summary>
public static class PreflightEvaluator
{
    private const string PolicyHint = "the CloudFormation stack's ControllerPolicy (cloudformation/romana-aws.yaml) or kops-addon/cluster-spec.yaml";

    public static IReadOnlyList<PreflightCheck> Evaluate(PreflightObservation seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var tags = new ClusterTags(seen.Cluster);
        var checks = new List<PreflightCheck> { Call(seen.DescribeInstances, "discover instances") };
        var live = seen.Instances.Where(i => !i.IsGone).ToList();
        checks.Add(seen.DescribeInstances.Outcome != CallOutcome.Allowed
            ? new("cluster instances", false, "not checked: DescribeInstances did not succeed", "fix the call above first")
            : live.Count > 0
                ? new("cluster instances", true, $"{live.Count} instance(s) tagged for {seen.Cluster} in {live.Select(i => i.Zone).Distinct().Count()} zone(s)")
                : new("cluster instances", false, $"no running instance is tagged for {seen.Cluster}",
                    $"tag the cluster's instances {tags.InstanceTagging} (kops does both), and check the cluster name in the config"));

        if (seen.DescribeRouteTables is null)
        {
            checks.Add(new("route tables", false, "not checked: no VPC (no instance found and controller.vpcId is not set)", "set controller.vpcId, or fix instance discovery"));
            return Tail(seen, checks, []);
        }

        checks.Add(Call(seen.DescribeRouteTables, $"describe route tables of {seen.VpcId}"));
        var (managed, how, warnings) = seen.Selection;
        if (managed.Count == 0)
        {
            checks.Add(new("route tables", false, $"no route table to manage in {seen.VpcId} ({string.Join("; ", seen.SelectionProblems.Concat(warnings).DefaultIfEmpty("none found"))})",
                $"tag the tables serving the cluster's subnets {tags.TableTagging}, or list them in controller.routeTables"));
            return Tail(seen, checks, managed);
        }

        var untagged = managed.Where(t => !tags.MarksTable(t.Tags)).Select(t => t.RouteTableId).ToList();
        checks.Add(untagged.Count == 0
            ? new("route tables", true, $"{managed.Count} table(s) ({how}), all tagged {tags.TableTagging}")
            : new("route tables", false, $"{managed.Count} table(s) ({how}); not tagged {tags.TableTagging}: {string.Join(", ", untagged)} (the IAM policy allows route writes only in tagged tables)",
                $"aws ec2 create-tags --resources {string.Join(' ', untagged)} --tags Key={ClusterTags.LegacyKey},Value={seen.Cluster}"));

        var budget = seen.RouteLimit - seen.RouteHeadroom;
        foreach (var table in managed)
        {
            var foreign = table.Routes.Count(r => !RouteOwnership.IsOwned(r, seen.Networks));
            var need = foreign + seen.PlannedRoutes;
            checks.Add(need <= budget
                ? new($"route budget {table.RouteTableId}", true, $"{foreign} route(s) not ours + {seen.PlannedRoutes} planned = {need} of {budget} (limit {seen.RouteLimit} − headroom {seen.RouteHeadroom})")
                : new($"route budget {table.RouteTableId}", false, $"{foreign} route(s) not ours + {seen.PlannedRoutes} planned = {need} > {budget} (limit {seen.RouteLimit} − headroom {seen.RouteHeadroom})",
                    $"free {need - budget} route(s) in {table.RouteTableId}, raise routeLimit together with the account's routes-per-table quota, or lower groupsPerSubnet"));
        }

        return Tail(seen, checks, managed);
    }

    private static List<PreflightCheck> Tail(PreflightObservation seen, List<PreflightCheck> checks, IReadOnlyList<RouteTableSnapshot> managed)
    {
        if (seen.DescribeInstanceStatus is { } status)
        {
            checks.Add(Call(status, "read instance health"));
        }

        checks.AddRange(seen.DryRuns.Select(d => Call(d, d.Resource is null ? "dry run" : $"dry run on {d.Resource}")));
        if (managed.Count > 0 && !seen.DryRuns.Any(d => d.Action == "ec2:CreateRoute"))
        {
            checks.Add(new("ec2:CreateRoute", false, "not checked: no instance ENI to dry-run a route to", "start at least one cluster instance"));
        }

        if (seen.PutMetricData is { } metrics)
        {
            checks.Add(Call(metrics, "publish CloudWatch metrics"));
        }

        return checks;
    }

    private static PreflightCheck Call(CallResult call, string what) => call.Outcome switch
    {
        CallOutcome.Allowed => new(call.Action, true, what),
        CallOutcome.Denied => new(call.Action, false, $"{what}: denied ({call.Detail})", $"allow {call.Action}{(call.Resource is null ? string.Empty : $" on {call.Resource}")}: attach {PolicyHint}"),
        _ => new(call.Action, false, $"{what}: {call.Detail}", "see the error; check aws.region and the endpoint, and retry"),
    };
}
