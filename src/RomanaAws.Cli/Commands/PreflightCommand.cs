using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Cli.Output;
using RomanaAws.Controller;
using RomanaAws.Controller.Preflight;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws preflight</c>: check an account before installing, changing nothing (EC2 dry runs); in bgp and ospf modes, the routers and the nodes' sessions.</summary>
internal static class PreflightCommand
{
    public static Command Build(CliContext context)
    {
        var config = CommonOptions.Config();
        var output = CommonOptions.Output();
        var command = new Command("preflight", "Check the AWS account before installing, changing nothing: every EC2 call the controller makes is allowed (route writes and the source/destination check as DryRun), the route tables are found and tagged, each table's route budget has room for the planned routes, cluster instances are discoverable, and CloudWatch publishing works (one Preflight datapoint). In routing modes bgp and ospf (no AWS): every BGP router accepts TCP 179 from here, and every configured host's agent reports its BGP sessions Established with each router of its rack (ospf: a Full adjacency). Prints a checklist with a fix for every failure; exit code 1 if anything fails.")
        {
            config, output,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => RunAsync(context, p.GetValue(config)!, p.GetValue(output), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo file, OutputFormat format, CancellationToken cancellationToken)
    {
        var config = await ControllerConfigInput.LoadAsync(file, cancellationToken);
        if (config.Topology.Routing.Advertised)
        {
            var routing = config.Topology.Routing;
            var hosts = Core.Ipam.RackHosts.Specs(routing);
            await context.Error.WriteLineAsync($"... asking {hosts.Count} agent(s) for their BIRD sessions and trying {routing.Racks.Sum(r => r.Peers.Count)} router(s) on TCP 179");
            var reports = await AgentReports.FetchAsync(hosts, config.Health.AgentPort, cancellationToken);
            var peers = await AgentReports.PeersAsync(routing, cancellationToken);
            return await PrintAsync(context, config.Topology.Cluster, Core.Routing.AdvertisedPreflight.Evaluate(routing, hosts, reports, peers), format);
        }

        var ec2 = ControllerHost.CreateEc2(config.Aws, TimeProvider.System, NullLoggerFactory.Instance);
        using var cloudWatch = ControllerHost.CreateCloudWatch(config.Aws);
        try
        {
            var checks = await PreflightRunner.RunAsync(config.Topology, config.Controller, config.Metrics.Namespace, ec2, cloudWatch,
                line => context.Error.WriteLineAsync($"... {line}"), cancellationToken);
            return await PrintAsync(context, config.Topology.Cluster, checks, format);
        }
        finally
        {
            (ec2 as IDisposable)?.Dispose();
        }
    }

    private static async Task<int> PrintAsync(CliContext context, string cluster, IReadOnlyList<Core.Preflight.PreflightCheck> checks, OutputFormat format)
    {
        var ok = checks.All(c => c.Ok);
        if (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, new { cluster, ok, checks });
        }
        else
        {
            await context.Output.WriteLineAsync($"preflight for {cluster}:");
            foreach (var check in checks)
            {
                await context.Output.WriteLineAsync($"  {(check.Ok ? "ok  " : "FAIL")}  {check.Name}: {check.Detail}");
                if (check.Fix is { } fix)
                {
                    await context.Output.WriteLineAsync($"        fix: {fix}");
                }
            }

            await context.Output.WriteLineAsync($"{checks.Count(c => c.Ok)} of {checks.Count} checks passed{(ok ? "; ready to install" : string.Empty)}");
        }

        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
