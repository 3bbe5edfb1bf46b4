using System.Diagnostics;
using RomanaAws.Lab.Build;
using RomanaAws.Lab.Scenarios;

namespace RomanaAws.Cli.Commands;

/// <summary>The scenarios <c>romana-aws lab up</c> runs on a built lab, each printed; true when every one held.</summary>
internal static class LabRun
{
    public static async Task<bool> ScenariosAsync(TextWriter output, LabCluster cluster, int failovers, bool policy, int grow, CancellationToken cancellationToken)
    {
        var mark = LabLogs.Count("router");
        var ok = await ReachabilityAsync(output, cluster, cancellationToken);
        if (failovers > 0)
        {
            ok &= await FailoverAsync(output, cluster, failovers, cancellationToken);
        }

        if (policy)
        {
            ok &= await PolicyAsync(output, cluster, cancellationToken);
        }

        if (grow > 0)
        {
            ok &= await GrowthAsync(output, cluster, grow, cancellationToken);
        }

        var delays = LabLogs.MirrorDelays(mark).Order().ToList();
        if (delays.Count > 0)
        {
            await output.WriteLineAsync($"mirroring: {delays.Count} route change(s) of the simulator in the router's kernel tables, delay p50 {Percentile(delays, 50):0} ms, p99 {Percentile(delays, 99):0} ms, max {delays[^1]:0} ms (from the simulator's write; the follower polls every 100 ms)");
        }

        return ok;
    }

    private static async Task<bool> ReachabilityAsync(TextWriter output, LabCluster cluster, CancellationToken cancellationToken)
    {
        var all = ReachMatrix.All([.. cluster.Pods.Select(p => p.Namespace)]).ToHashSet();
        // The last pods' blocks were claimed moments ago: their peers learn the blocks' routes on their next poll (1 s).
        var (observed, at) = await SettleAsync(cluster, all, Stopwatch.StartNew(), cancellationToken);
        var (missing, _) = ReachMatrix.Compare(all, observed);
        int Count(IEnumerable<Reach> cells, LabProtocol protocol) => cells.Count(r => r.Protocol == protocol);
        await output.WriteLineAsync($"reachability: {observed.Count} of {all.Count} probes answer (TCP {Count(observed, LabProtocol.Tcp)}/{Count(all, LabProtocol.Tcp)}, UDP {Count(observed, LabProtocol.Udp)}/{Count(all, LabProtocol.Udp)}) between {cluster.Pods.Count} pods across {cluster.Pods.Select(p => p.Zone).Distinct().Count()} zone(s) ({(missing.Count == 0 ? "complete" : "still incomplete")} at {at.TotalSeconds:0.0} s)");
        await WriteCellsAsync(output, "UNREACHABLE", missing);
        return missing.Count == 0;
    }

    private static async Task<bool> FailoverAsync(TextWriter output, LabCluster cluster, int failovers, CancellationToken cancellationToken)
    {
        var lossAfter = 0;
        foreach (var stop in new[] { true, false })
        {
            var blackouts = new List<double>();
            for (var trial = 1; trial <= failovers; trial++)
            {
                // Let the previous trial's node come back and the controller settle before the next one.
                await Task.Delay(TimeSpan.FromSeconds(trial == 1 ? 8 : 6), cancellationToken);
                var (report, routerNode, client, target) = await cluster.FailoverAsync(stop, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(12), cancellationToken);
                blackouts.Add(report.Blackout.TotalMilliseconds);
                lossAfter += report.LostAfterRecovery + (report.Recovered ? 0 : 1);
                await output.WriteLineAsync($"failover ({(stop ? "EC2: router stopped" : "probe: router's agent unhealthy")}) trial {trial}: {client.Namespace[LabNames.Prefix.Length..]} ({client.Zone}) -> {target.Address} ({target.Zone}) via {routerNode}: blackout {report.Blackout.TotalMilliseconds:0} ms{(report.Recovered ? "" : " (NOT recovered before the stream ended)")}, {report.Answered}/{report.Sent} answered, {report.LostAfterRecovery} lost after recovery");
            }

            blackouts.Sort();
            await output.WriteLineAsync($"failover {(stop ? "EC2 path" : "probe path")}: blackout p50 {Percentile(blackouts, 50):0} ms, p99 {Percentile(blackouts, 99):0} ms over {blackouts.Count} trial(s)");
        }

        return lossAfter == 0;
    }

    private static async Task<bool> PolicyAsync(TextWriter output, LabCluster cluster, CancellationToken cancellationToken)
    {
        var expected = PolicyScenario.Expected(cluster.Owners);
        var full = ReachMatrix.All([.. cluster.Pods.Select(p => p.Namespace)]).ToHashSet();
        var clock = Stopwatch.StartNew();
        LabCluster.SetPolicies(PolicyScenario.Yaml);
        var inKernel = await KernelAsync(cluster, present: true, clock, cancellationToken);
        var (observed, took) = await SettleAsync(cluster, expected, clock, cancellationToken);
        var (missing, unexpected) = ReachMatrix.Compare(expected, observed);
        await output.WriteLineAsync($"policy: in every node's kernel {inKernel.TotalSeconds:0.0} s after the agents were given it; {(missing.Count + unexpected.Count == 0 ? $"the matrix is exactly the policies' (probed at {took.TotalSeconds:0.0} s)" : "the matrix is NOT the policies'")}: {expected.Count} of {full.Count} cells allowed, {missing.Count} allowed but unanswered, {unexpected.Count} answered but denied");
        await WriteCellsAsync(output, "ALLOWED BUT UNANSWERED", missing);
        await WriteCellsAsync(output, "DENIED BUT ANSWERED", unexpected);

        clock.Restart();
        LabCluster.SetPolicies(null);
        var gone = await KernelAsync(cluster, present: false, clock, cancellationToken);
        var (after, back) = await SettleAsync(cluster, full, clock, cancellationToken);
        var restored = after.SetEquals(full);
        await output.WriteLineAsync($"policy removed: gone from every kernel after {gone.TotalSeconds:0.0} s; {(restored ? $"full matrix again (probed at {back.TotalSeconds:0.0} s)" : $"only {after.Count} of {full.Count} cells answer")}");
        return missing.Count + unexpected.Count == 0 && restored;
    }

    /// <summary>Polls the nodes' kernels every 100 ms (up to 30 s) until the policy is in all of them (or gone from all); when it was.</summary>
    private static async Task<TimeSpan> KernelAsync(LabCluster cluster, bool present, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (!cluster.PolicyInEveryKernel(present) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return clock.Elapsed;
    }

    /// <summary>Probes until the matrix equals <paramref name="expected"/> (or 30 s pass); the last matrix and when it first matched.</summary>
    private static async Task<(HashSet<Reach> Observed, TimeSpan At)> SettleAsync(LabCluster cluster, HashSet<Reach> expected, Stopwatch clock, CancellationToken cancellationToken)
    {
        HashSet<Reach> observed;
        do
        {
            observed = await cluster.MatrixAsync(cancellationToken);
            if (observed.SetEquals(expected))
            {
                return (observed, clock.Elapsed);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(30));
        return (observed, clock.Elapsed);
    }

    private static async Task<bool> GrowthAsync(TextWriter output, LabCluster cluster, int count, CancellationToken cancellationToken)
    {
        var growth = await cluster.GrowAsync(count, cancellationToken);
        var lost = growth.Stream.Sent - growth.Stream.Answered;
        await output.WriteLineAsync($"growth: {growth.Added.Count} node(s) joined the group of {growth.Target.Namespace[LabNames.Prefix.Length..]} while {growth.Client.Namespace[LabNames.Prefix.Length..]} ({growth.Client.Zone}) pinged it every 20 ms: " +
            $"VPC routes {growth.RoutesBefore.Count} before, {growth.RoutesAfter.Count} after ({growth.NewRoutes.Count} new, {growth.LostRoutes.Count} gone); {growth.Stream.Answered}/{growth.Stream.Sent} answered, {lost} lost; new pods {(growth.AddedReachable ? "answer" : "do NOT answer")} from {growth.Client.Zone}");
        foreach (var route in growth.NewRoutes.Concat(growth.LostRoutes))
        {
            await output.WriteLineAsync($"  ROUTE CHANGED: {route}");
        }

        foreach (var route in growth.MovedTargets)
        {
            await output.WriteLineAsync($"  route target moved meanwhile (was): {route}");
        }

        var held = lost == 0 && growth.NewRoutes.Count == 0 && growth.LostRoutes.Count == 0 && growth.AddedReachable;
        foreach (var line in held ? [] : growth.ControllerWarnings.TakeLast(30))
        {
            await output.WriteLineAsync($"  controller: {line}");
        }

        return held;
    }

    private static async Task WriteCellsAsync(TextWriter output, string label, IReadOnlyList<Reach> cells)
    {
        foreach (var cell in cells.Take(20))
        {
            await output.WriteLineAsync($"  {label} {cell}");
        }

        if (cells.Count > 20)
        {
            await output.WriteLineAsync($"  … and {cells.Count - 20} more");
        }
    }

    private static double Percentile(List<double> sorted, int p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
