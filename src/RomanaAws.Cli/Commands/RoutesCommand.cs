using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Cli.Output;
using RomanaAws.Controller;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Routing;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// <c>romana-aws routes</c>: the live VPC routes joined with the IPAM — which route maps to which zone, group,
/// instance and health, and whether it is as desired. Reads EC2 directly; the controller need not run. In routing
/// modes bgp and ospf: each group's prefix, its hosts and what each host's BIRD exports, asked from the agents.
/// </summary>
internal static class RoutesCommand
{
    public static Command Build(CliContext context)
    {
        var config = CommonOptions.Config();
        var table = new Option<string?>("--table") { Description = "Show only this route table (rtb-…).", HelpName = "ID" };
        var output = CommonOptions.Output();
        var command = new Command("routes", "Show every managed route table: each pod route with its zone, subnet, group, target instance and ENI, state (active/blackhole), target health and whether it matches the desired state; foreign routes counted; budget used. In routing modes bgp and ospf: each group's one prefix, the hosts that advertise it and what each host's BIRD exports (from the agents' /healthz on health.agentPort). Exit code 1 when anything is out of sync.")
        {
            config, table, output,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => RunAsync(context, p.GetValue(config)!, p.GetValue(table), p.GetValue(output), ct)));
        return command;
    }

    internal static async Task<int> RunAsync(CliContext context, FileInfo file, string? tableId, OutputFormat format, CancellationToken cancellationToken)
    {
        var config = await ControllerConfigInput.LoadAsync(file, cancellationToken);
        if (config.Topology.Routing.Advertised)
        {
            return await AdvertisedAsync(context, config, format, cancellationToken);
        }

        var settings = config.Controller;
        var ec2 = ControllerHost.CreateEc2(config.Aws, TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            var view = await new ClusterDiscovery(ec2, config.Topology, settings).DiscoverAsync(DateTimeOffset.MinValue, cancellationToken);
            var (ipam, source) = await LoadIpamAsync(config, settings, view.Snapshot.Instances, cancellationToken);
            var plan = ipam.Plan();
            var desired = view.Desired(plan, DesiredState.FromInstanceState);
            var views = view.Report(plan, desired, DesiredState.FromInstanceState).Where(t => tableId is null || t.RouteTableId == tableId).ToList();
            if (tableId is not null && views.Count == 0)
            {
                throw new InputFileException($"--table {tableId}: not a managed route table ({string.Join(", ", view.Managed.Select(t => t.RouteTableId))})");
            }

            if (format == OutputFormat.Json)
            {
                await Json.WriteAsync(context.Output, new { cluster = config.Topology.Cluster, vpcId = view.VpcId, selectedBy = view.Selection.How, ipam = source, inSync = views.All(v => v.InSync), tables = views });
            }
            else
            {
                await context.Output.WriteAsync(Render(views, view.Selection.How, source));
            }

            return views.All(v => v.InSync) ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            (ec2 as IDisposable)?.Dispose();
        }
    }

    /// <summary>Routing modes bgp and ospf: per group, its prefix, its hosts and what each one's BIRD exports (asked from the agents). No EC2 call.</summary>
    private static async Task<int> AdvertisedAsync(CliContext context, ControllerConfig config, OutputFormat format, CancellationToken cancellationToken)
    {
        var (ipam, source) = await LoadIpamAsync(config, config.Controller, RackInstances.Of(config.Topology.Routing), cancellationToken);
        var reports = await AgentReports.FetchAsync(ipam.Hosts, config.Health.AgentPort, cancellationToken);
        var groups = AdvertisedRoutes.Build(ipam.Plan(), reports);
        var inSync = groups.All(g => g.InSync);
        if (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, new { cluster = config.Topology.Cluster, mode = config.Topology.Routing.Mode.ToString().ToUpperInvariant(), ipam = source, inSync, groups });
        }
        else
        {
            var text = new System.Text.StringBuilder($"Groups advertised by {config.Topology.Routing.Mode.ToString().ToUpperInvariant()} (one prefix each); IPAM from {source}\n");
            var table = new TableWriter("PREFIX", "ZONE", "RACK", "GROUP", "HOST", "IP", "BIRD EXPORTS", "STATUS");
            foreach (var group in groups)
            {
                foreach (var host in group.Hosts)
                {
                    table.Add(group.Destination, group.Zone, group.Rack, group.Group.ToString(System.Globalization.CultureInfo.InvariantCulture), host.Host, host.Ip,
                        host.Exported.Count == 0 ? "-" : string.Join(" ", host.Exported), host.Status);
                }
            }

            text.Append(table.RowCount == 0 ? "  (no group has hosts)\n" : table.ToString());
            text.Append(inSync ? "every host exports its group's prefix\n" : "NOT IN SYNC: some hosts do not export their group's prefix\n");
            await context.Output.WriteAsync(text.ToString());
        }

        return inSync ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<(Ipam Ipam, string Source)> LoadIpamAsync(ControllerConfig config, ControllerSettings settings, IReadOnlyList<InstanceSnapshot> instances, CancellationToken cancellationToken)
    {
        var document = await new FileIpamStateStore(settings.StateFile).LoadAsync(cancellationToken);
        if (document is not null)
        {
            return (Ipam.FromDocument(document, settings.StateFile), $"state {Path.GetFullPath(settings.StateFile)}");
        }

        var ipam = Ipam.Create(config.Topology);
        HostSync.Apply(ipam, instances, [], DateTimeOffset.MinValue, TimeSpan.Zero);
        return (ipam, "no state file: hosts placed as the controller would place them");
    }

    internal static string Render(IReadOnlyList<TableView> views, string how, string source)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"Managed route tables ({how}); IPAM from {source}\n");
        foreach (var view in views)
        {
            text.Append($"\n{view.RouteTableId}{(view.IsMain ? " (main)" : string.Empty)}  subnets: {(view.Subnets.Count == 0 ? "-" : string.Join(", ", view.Subnets))}  " +
                        $"budget {view.Budget}  foreign {view.ForeignRoutes}  {(view.InSync ? "in sync" : "OUT OF SYNC")}\n");
            var table = new TableWriter("DESTINATION", "ZONE", "SUBNET", "GROUP", "TARGET", "ENI", "STATE", "HEALTH", "DESIRED", "STATUS");
            foreach (var r in view.Routes)
            {
                table.Add(r.Destination, r.Zone, r.SubnetId, r.Group, r.TargetInstance, r.TargetEni, r.Exists ? r.State.ToString().ToLowerInvariant() : "-",
                    r.TargetHealth?.ToString().ToLowerInvariant(), r.DesiredInstance, r.Status.Label());
            }

            text.Append(table.RowCount == 0 ? "  (no pod routes)\n" : table.ToString());
        }

        return text.ToString();
    }
}
