using System.CommandLine;
using RomanaAws.Cli.Commands;

namespace RomanaAws.Cli;

/// <summary>Builds the <c>romana-aws</c> command tree and runs it with given writers, so tests drive it in-process.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "romana-aws: topology-aware pod networking on AWS VPC route tables. " +
            "Carves the pod CIDR along zones, subnets and groups so one VPC route covers each group.");
        root.Subcommands.Add(TopologyCommands.Build(context));
        root.Subcommands.Add(IpamCommands.Build(context));
        root.Subcommands.Add(StateCommand.Build(context));
        root.Subcommands.Add(SimCommand.Build(context));
        root.Subcommands.Add(ControllerCommand.Build(context));
        root.Subcommands.Add(RoutesCommand.Build(context));
        root.Subcommands.Add(DemoCommand.Build(context));
        root.Subcommands.Add(AgentCommand.Build(context));
        root.Subcommands.Add(CniCommand.Build(context));
        root.Subcommands.Add(LabCommand.Build(context));
        root.Subcommands.Add(PreflightCommand.Build(context));
        root.Subcommands.Add(TlsCommand.Build(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error, cancellationToken);
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            await error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.BadUsage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        names[0] = "romana-aws";
        return string.Join(' ', names);
    }
}
