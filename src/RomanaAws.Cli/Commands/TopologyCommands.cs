using System.CommandLine;
using RomanaAws.Cli.Output;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws topology validate</c>: check a topology file and report every problem at once.</summary>
internal static class TopologyCommands
{
    public static Command Build(CliContext context)
    {
        var config = CommonOptions.Config();
        var output = CommonOptions.Output();
        var validate = new Command("validate", "Check a topology file: every problem is reported at once, with key path, line, value and what would be valid. Exit code 0 when valid, 2 when not.")
        {
            config,
            output,
        };
        validate.SetAction((parse, _) => CommandGuard.RunAsync(context, () => ValidateAsync(context, parse.GetValue(config)!, parse.GetValue(output))));
        return new Command("topology", "Inspect the topology configuration.") { validate };
    }

    internal static async Task<int> ValidateAsync(CliContext context, FileInfo file, OutputFormat format)
    {
        var text = await CommandGuard.ReadInputAsync(file, "--config", context.CancellationToken);
        TopologyConfig topology;
        try
        {
            topology = TopologyReader.Parse(text, file.FullName);
        }
        catch (ConfigException ex) when (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, new { valid = false, file = file.FullName, errors = ex.Errors });
            return ExitCodes.BadUsage;
        }

        if (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, new
            {
                valid = true,
                file = file.FullName,
                topology.Cluster,
                networks = topology.Networks.Select(n => new { n.Name, cidr = n.Cidr.ToString(), n.BlockMask }),
                zones = topology.Zones?.Select(z => z.Name),
                topology.MaxRoutesPerTable,
                topology.RouteBudget,
                topology.RouteLimit,
                topology.RouteHeadroom,
            });
            return ExitCodes.Ok;
        }

        var zones = topology.Zones is null ? $"discovered (up to {topology.MaxZones})" : string.Join(", ", topology.Zones.Select(z => z.Name));
        await context.Output.WriteLineAsync($"{file.FullName}: valid");
        await context.Output.WriteLineAsync($"  cluster   {topology.Cluster}");
        await context.Output.WriteLineAsync($"  networks  {string.Join(", ", topology.Networks.Select(n => $"{n.Name} {n.Cidr} (blocks /{n.BlockMask})"))}");
        await context.Output.WriteLineAsync($"  zones     {zones}");
        await context.Output.WriteLineAsync($"  routes    up to {topology.MaxRoutesPerTable} per table; budget {topology.RouteBudget} (routeLimit {topology.RouteLimit} − routeHeadroom {topology.RouteHeadroom})");
        return ExitCodes.Ok;
    }
}
