using RomanaAws.Aws.CloudWatch;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;

namespace RomanaAws.Controller.Metrics;

/// <summary>Turns the controller's status into CloudWatch datapoints (pure): counters since the last publish, gauges now.</summary>
public static class MetricsSnapshot
{
    public static IReadOnlyList<MetricSample> Samples(
        string cluster, ControllerStatus status, IReadOnlyList<FailoverEvent> failoversSinceLast, long errorsSinceLast, int unhealthyTargets, DateTimeOffset at, int termsSinceLast = 0)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(failoversSinceLast);
        Dimension[] clusterOnly = [new(MetricNames.ClusterDimension, cluster)];
        var samples = new List<MetricSample>
        {
            new(MetricNames.RouteFailovers, failoversSinceLast.Count, "Count", clusterOnly, at),
            new(MetricNames.ReconcileErrors, errorsSinceLast, "Count", clusterOnly, at),
            new(MetricNames.UnhealthyTargets, unhealthyTargets, "Count", clusterOnly, at),
            new(MetricNames.LeaderChanges, termsSinceLast, "Count", clusterOnly, at),
        };
        samples.AddRange(failoversSinceLast.Select(f => new MetricSample(MetricNames.FailoverSeconds, f.TotalSeconds, "Seconds", clusterOnly, at)));
        samples.AddRange(failoversSinceLast.GroupBy(f => f.Group.Zone).Select(z =>
            new MetricSample(MetricNames.RouteFailovers, z.Count(), "Count", [.. clusterOnly, new Dimension(MetricNames.ZoneDimension, z.Key)], at)));
        if (status.Last is { } last)
        {
            samples.Add(new(MetricNames.ManagedRoutes, last.ManagedRoutes, "Count", clusterOnly, at));
            samples.Add(new(MetricNames.NoHealthyTarget, last.NoHealthyTargetGroups, "Count", clusterOnly, at));
            if (last.RouteBudgetHeadroom is { } headroom)
            {
                samples.Add(new(MetricNames.RouteBudgetHeadroom, headroom, "Count", clusterOnly, at));
            }
        }

        return samples;
    }
}
