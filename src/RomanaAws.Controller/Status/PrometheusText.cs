using System.Globalization;
using System.Text;

namespace RomanaAws.Controller.Status;

/// <summary>
/// The controller's figures in the Prometheus text exposition format (version 0.0.4). A dozen lines of formatting,
/// written here rather than pulling in a metrics library for them.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <param name="blocks">The blocks as they are now (claims and usage reports arrive between passes); the last pass's when null.</param>
    public static string Render(ControllerStatus status, string cluster, int? unhealthyTargets = null, IReadOnlyList<RomanaAws.Core.Ipam.BlockUsage>? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder();
        var labels = $"cluster=\"{Escape(cluster)}\"";
        Metric(text, "romana_reconcile_passes_total", "counter", "Reconcile passes run.", labels, status.Passes);
        Metric(text, "romana_reconcile_errors_total", "counter", "Errors in reconcile passes (ReconcileErrors).", labels, status.ReconcileErrors);
        Metric(text, "romana_reconcile_consecutive_failures", "gauge", "Passes failed in a row.", labels, status.ConsecutiveFailures);
        Metric(text, "romana_ready", "gauge", "1 once a pass has succeeded (a standby: once its state is loaded).", labels, status.Ready ? 1 : 0);
        Metric(text, "romana_leader", "gauge", "1 while this replica is the leader (writes routes and state), 0 as a standby.", labels, status.Role == Core.Leadership.LeaderRole.Leader ? 1 : 0);
        Metric(text, "romana_leader_changes_total", "counter", "Terms this replica began as leader; summed over replicas, the leader changes (LeaderChanges).", labels, status.Terms);
        if (status.LastSuccess is { } success)
        {
            Metric(text, "romana_last_success_timestamp_seconds", "gauge", "When the last successful pass started.", labels, success.ToUnixTimeMilliseconds() / 1000.0);
        }

        if (unhealthyTargets is { } unhealthy)
        {
            Metric(text, "romana_unhealthy_targets", "gauge", "Route targets that are not healthy (UnhealthyTargets).", labels, unhealthy);
        }

        Metric(text, "romana_route_failovers_total", "counter", "Groups moved to a new target (RouteFailovers).", labels, status.FailoverCount);
        if (status.RecentFailovers is [.., var lastFailover])
        {
            Metric(text, "romana_failover_seconds", "gauge", "Last failover: last healthy sign to every table re-pointed (FailoverSeconds).", labels, lastFailover.TotalSeconds);
        }

        text.Append("# HELP romana_route_operations_total Route writes planned, by kind.\n# TYPE romana_route_operations_total counter\n");
        foreach (var (kind, count) in status.Operations.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"romana_route_operations_total{{{labels},kind=\"{kind}\"}} {count}\n");
        }

        if (status.Last is { } last)
        {
            Metric(text, "romana_managed_routes", "gauge", "Routes RomanaAws holds over all managed tables (ManagedRoutes).", labels, last.ManagedRoutes);
            Metric(text, "romana_managed_tables", "gauge", "Route tables managed.", labels, last.Tables.Count);
            if (last.RouteBudgetHeadroom is { } headroom)
            {
                Metric(text, "romana_route_budget_headroom", "gauge", "Lowest routes left under the budget over tables (RouteBudgetHeadroom).", labels, headroom);
            }

            Metric(text, "romana_reconcile_duration_seconds", "gauge", "Duration of the last pass.", labels, last.Duration.TotalSeconds);
            Metric(text, "romana_ipam_hosts", "gauge", "Hosts registered in the IPAM.", labels, last.Ipam.Hosts);
            Metric(text, "romana_desired_routes", "gauge", "Routes each managed table should hold.", labels, last.Ipam.RoutesPerTable);
            Metric(text, "romana_no_healthy_target", "gauge", "Groups with no healthy host to route to (NoHealthyTarget).", labels,
                last.Desired.Where(d => d.Choice == RomanaAws.Core.Routing.TargetChoice.NoHealthyTarget).Select(d => (d.Network, d.Zone, d.SubnetId, d.Group)).Distinct().Count());
        }

        if ((blocks ?? status.Last?.Ipam.Blocks) is { } current)
        {
            BlockUsage(text, labels, current);
        }

        return text.ToString();
    }

    /// <summary>Addresses in use and block capacity per host (agents report usage per block; one series per host, not per block).</summary>
    private static void BlockUsage(StringBuilder text, string labels, IReadOnlyList<RomanaAws.Core.Ipam.BlockUsage> blocks)
    {
        var hosts = blocks.GroupBy(b => b.InstanceId, StringComparer.Ordinal).OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => (Host: Escape(h.Key), Used: h.Sum(b => (long)b.Used), Capacity: h.Sum(b => (long)b.Capacity))).ToList();
        text.Append("# HELP romana_ipam_block_addresses_used Addresses in use in a host's blocks, as its agent last reported (pods for offline allocations).\n# TYPE romana_ipam_block_addresses_used gauge\n");
        foreach (var (host, used, _) in hosts)
        {
            text.Append(CultureInfo.InvariantCulture, $"romana_ipam_block_addresses_used{{{labels},instance_id=\"{host}\"}} {used}\n");
        }

        text.Append("# HELP romana_ipam_block_addresses_capacity Addresses in a host's blocks.\n# TYPE romana_ipam_block_addresses_capacity gauge\n");
        foreach (var (host, _, capacity) in hosts)
        {
            text.Append(CultureInfo.InvariantCulture, $"romana_ipam_block_addresses_capacity{{{labels},instance_id=\"{host}\"}} {capacity}\n");
        }
    }

    private static void Metric(StringBuilder text, string name, string type, string help, string labels, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name}{{{labels}}} {value.ToString(CultureInfo.InvariantCulture)}\n");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
