using RomanaAws.Aws.CloudWatch;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Metrics;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Net;
using RomanaAws.Core.Preflight;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Preflight;

/// <summary>
/// Gathers what <see cref="PreflightEvaluator"/> judges, changing nothing: the controller's reads, route writes and
/// the source/destination-check change as EC2 dry runs, and one <c>Preflight</c> datapoint to CloudWatch.
/// </summary>
public static class PreflightRunner
{
    public static async Task<IReadOnlyList<PreflightCheck>> RunAsync(
        TopologyConfig topology, ControllerSettings settings, string metricNamespace, IEc2Api ec2, CloudWatchQueryClient cloudWatch,
        Func<string, Task> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ec2);
        ArgumentNullException.ThrowIfNull(cloudWatch);
        ArgumentNullException.ThrowIfNull(progress);
        var cluster = topology.Cluster;
        var networks = topology.Networks.Select(n => n.Cidr).ToList();
        var discovery = new ClusterDiscovery(ec2, topology, settings);

        await progress($"describing instances tagged for {cluster}");
        IReadOnlyList<InstanceSnapshot> instances = [];
        var describeInstances = await CallAsync("ec2:DescribeInstances", async () => instances = await discovery.InstancesAsync(cancellationToken));
        var live = instances.Where(i => !i.IsGone).ToList();
        var vpc = discovery.VpcOf(instances);

        CallResult? describeTables = null;
        ClusterView? view = null;
        var dryRuns = new List<CallResult>();
        if (vpc is not null)
        {
            await progress($"describing the route tables of {vpc}");
            describeTables = await CallAsync("ec2:DescribeRouteTables", async () => view = await discovery.TablesAsync(instances, DateTimeOffset.MinValue, cancellationToken));
            if (view is not null && live.FirstOrDefault(i => i.PrimaryNetworkInterfaceId.Length > 0) is { } probe)
            {
                await progress($"dry-running route writes in {view.Managed.Count} table(s) and the source/destination check on {probe.PrimaryNetworkInterfaceId}");
                var destination = Unused(networks[0], view.Snapshot.RouteTables);
                foreach (var table in view.Managed)
                {
                    dryRuns.Add(await CallAsync("ec2:CreateRoute", () => ec2.CreateRouteAsync(table.RouteTableId, destination, probe.PrimaryNetworkInterfaceId, true, cancellationToken), table.RouteTableId));
                    if (table.Routes.FirstOrDefault(r => RouteOwnership.IsOwned(r, networks))?.DestinationCidr is { } ours)
                    {
                        dryRuns.Add(await CallAsync("ec2:ReplaceRoute", () => ec2.ReplaceRouteAsync(table.RouteTableId, ours, probe.PrimaryNetworkInterfaceId, true, cancellationToken), table.RouteTableId));
                        dryRuns.Add(await CallAsync("ec2:DeleteRoute", () => ec2.DeleteRouteAsync(table.RouteTableId, ours, true, cancellationToken), table.RouteTableId));
                    }
                }

                dryRuns.Add(await CallAsync("ec2:ModifyNetworkInterfaceAttribute", () => ec2.DisableSourceDestCheckAsync(probe.PrimaryNetworkInterfaceId, true, cancellationToken), probe.PrimaryNetworkInterfaceId));
            }
        }

        CallResult? status = null;
        if (live.Count > 0)
        {
            await progress($"reading the status of {live.Count} instance(s)");
            status = await CallAsync("ec2:DescribeInstanceStatus", () => ec2.DescribeInstanceStatusAsync([.. live.Select(i => i.InstanceId)], cancellationToken));
        }

        await progress($"publishing one {MetricNames.Preflight} datapoint to CloudWatch namespace {metricNamespace}");
        var put = await CallAsync("cloudwatch:PutMetricData", () => cloudWatch.PutMetricDataAsync(metricNamespace,
            [new MetricSample(MetricNames.Preflight, 1, "Count", [new Dimension(MetricNames.ClusterDimension, cluster)])], cancellationToken));

        return PreflightEvaluator.Evaluate(new PreflightObservation
        {
            Cluster = cluster,
            DescribeInstances = describeInstances,
            Instances = instances,
            VpcId = vpc,
            DescribeRouteTables = describeTables,
            Selection = view?.Selection ?? TableSelection.None,
            SelectionProblems = view?.Problems ?? [],
            Networks = networks,
            PlannedRoutes = topology.MaxRoutesPerTable,
            RouteLimit = topology.RouteLimit,
            RouteHeadroom = topology.RouteHeadroom,
            DescribeInstanceStatus = status,
            DryRuns = dryRuns,
            PutMetricData = put,
        });
    }

    /// <summary>A /32 in the pod network that no table routes exactly, for the CreateRoute dry run.</summary>
    private static Cidr Unused(Cidr network, IReadOnlyList<RouteTableSnapshot> tables)
    {
        var taken = tables.SelectMany(t => t.Routes).Select(r => r.Destination).ToHashSet(StringComparer.Ordinal);
        return network.Split(32).Take(256).First(c => !taken.Contains(c.ToString()));
    }

    private static async Task<CallResult> CallAsync(string action, Func<Task> call, string? resource = null)
    {
        try
        {
            await call();
            return new CallResult(action, CallOutcome.Allowed, null, resource);
        }
        catch (Ec2ApiException e) when (e.Kind == Ec2ErrorKind.DryRunSucceeded)
        {
            return new CallResult(action, CallOutcome.Allowed, null, resource);
        }
        catch (Ec2ApiException e)
        {
            return new CallResult(action, e.Kind == Ec2ErrorKind.Unauthorized ? CallOutcome.Denied : CallOutcome.Failed, $"{e.Code}: {e.Message}", resource);
        }
        catch (CloudWatchException e)
        {
            return new CallResult(action, Denied(e.Code) ? CallOutcome.Denied : CallOutcome.Failed, $"{e.Code}: {e.Message}", resource);
        }
        catch (HttpRequestException e)
        {
            return new CallResult(action, CallOutcome.Failed, e.Message, resource);
        }
    }

    private static bool Denied(string code) => code is "AccessDenied" or "AccessDeniedException" or "AuthFailure";
}
