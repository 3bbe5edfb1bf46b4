using System.Diagnostics;
using RomanaAws.Lab.Router;
using RomanaAws.Lab.Scenarios;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Build;

/// <summary>The failover scenario: a steady ping stream through a router node stopped, or made unhealthy.</summary>
public sealed partial class LabCluster
{
    /// <summary>
    /// Failover in packets: a pod in another zone pings (every <paramref name="interval"/>) a pod whose group's route
    /// targets another node; that router node is stopped in the simulator (<paramref name="stop"/> true: EC2 path) or
    /// its agent stops answering its health check while EC2 says running (probe path); returns the blackout. The node is started again
    /// (or made healthy) afterwards.
    /// </summary>
    public async Task<(BlackoutReport Report, string Router, LabPod Client, LabPod Target)> FailoverAsync(bool stop, TimeSpan interval, TimeSpan duration, CancellationToken cancellationToken)
    {
        var (target, router) = RoutedElsewhere();
        var client = Pods.First(p => p.Zone != target.Zone);
        var count = (int)(duration / interval);
        using var ping = PingSeries.Start(client, target.Address, interval, count);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        if (stop)
        {
            Sim($"POST /_sim/instances/{router.Id}/stop");
        }
        else
        {
            // The probe path: the router's agent stops answering its health check; EC2 still says running.
            Shell.Run("nsenter", $"--net=/run/netns/{LabNames.Node(router.Id)}", "--", "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "9612", "-j", "REJECT", "--reject-with", "tcp-reset");
        }

        var report = await ping.WaitAsync(count, cancellationToken);
        if (stop)
        {
            Sim($"POST /_sim/instances/{router.Id}/start");
        }
        else
        {
            Shell.Run("nsenter", $"--net=/run/netns/{LabNames.Node(router.Id)}", "--", "iptables", "-D", "INPUT", "-p", "tcp", "--dport", "9612", "-j", "REJECT", "--reject-with", "tcp-reset");
        }

        return (report, router.Id, client, target);
    }

    /// <summary>A pod whose group's route targets another node than its own, and that router node.</summary>
    private (LabPod Target, DataplaneInstance Router) RoutedElsewhere()
    {
        var routes = RouterView.Dump();
        var target = Pods.FirstOrDefault(p => RouterView.RouterOf(routes, p.Address) is { } r && r != Nodes.Single(i => i.Id == p.InstanceId).PrivateIp)
            ?? throw new LabException("no pod whose group's route targets another node (more pods or nodes per group are needed)");
        var routerIp = RouterView.RouterOf(routes, target.Address)!;
        return (target, Nodes.Single(i => i.PrivateIp == routerIp));
    }
}
