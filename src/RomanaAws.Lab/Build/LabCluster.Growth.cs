using System.Diagnostics;
using RomanaAws.Lab.Router;
using RomanaAws.Lab.Scenarios;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Build;

/// <summary>The growth scenario: nodes join an instance group while traffic flows into it.</summary>
public sealed partial class LabCluster
{
    /// <summary>
    /// Growth: while a pod in another zone pings a pod every 20 ms, <paramref name="count"/> nodes join that pod's
    /// instance group (the simulator launches them like its node: same subnet, same tags); each gets its namespace,
    /// agent and containerd, and one pod. Returns the stream's report, the VPC routes (table and destination, as the
    /// router holds them) before and after, and the new pods; the caller checks no route was added and none lost.
    /// </summary>
    public async Task<GrowthReport> GrowAsync(int count, CancellationToken cancellationToken)
    {
        var target = Pods.First();
        var client = Pods.First(p => p.Zone != target.Zone);
        var before = RouterView.VpcRoutes();
        var targetsBefore = RouterView.VpcRouteTargets();
        var controllerMark = LabLogs.Count("controller");
        var clock = Stopwatch.StartNew();
        using var ping = PingSeries.Start(client, target.Address, TimeSpan.FromMilliseconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var like = Nodes.Single(i => i.Id == target.InstanceId);
        var subnet = RouterPlan.For(Initial).Subnets.Single(s => s.SubnetId == like.SubnetId);
        var added = new List<LabPod>();
        for (var n = 0; n < count; n++)
        {
            var launched = System.Text.Json.JsonDocument.Parse(Sim($"POST /_sim/instances/{like.Id}/clone").Split("\r\n\r\n", 2)[1]).RootElement;
            var node = like with { Id = launched.GetProperty("id").GetString()!, PrivateIp = launched.GetProperty("privateIp").GetString()!, State = "pending" };
            NodeNamespace.Create(node, subnet);
            Nodes.Add(node);
            StartAgent(node.Id);
            var containerd = await StartContainerdAsync(node.Id, cancellationToken);
            lock (_containerd)
            {
                _containerd[node.Id] = containerd;
            }

            var pod = await AddPodAsync(node.Id, node.SubnetId, LabNames.Pod(node.Id, 0), PolicyScenario.OwnerOf(Pods.Count), cancellationToken);
            Pods.Add(pod);
            added.Add(pod);
            await _log.WriteLineAsync($"growth: {node.Id} ({node.PrivateIp}) joined beside {like.Id}; its pod {pod.Namespace[LabNames.Prefix.Length..]}={pod.Address} after {clock.Elapsed.TotalSeconds:0.0} s");
        }

        // Every new pod answers from the client's zone before the stream stops (the agents have the new blocks' routes).
        var reached = await WaitAsync(async () => (await PodProbe.MatrixAsync([client, .. added], TimeSpan.FromSeconds(1), cancellationToken)).Count(r => r.From == client.Namespace) == 2 * added.Count, TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var report = await ping.StopAsync(cancellationToken);
        var moved = targetsBefore.Except(RouterView.VpcRouteTargets()).Order(StringComparer.Ordinal).ToList();
        var controller = LabLogs.Lines("controller", controllerMark).Where(l => l.Contains(" WRN ", StringComparison.Ordinal) || l.Contains(" ERR ", StringComparison.Ordinal)).ToList();
        return new GrowthReport(report, before, RouterView.VpcRoutes(), added, reached, client, target) { MovedTargets = moved, ControllerWarnings = controller };
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        return true;
    }
}
