using System.CommandLine;
using RomanaAws.Cli.Demo;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws demo</c>: the whole product on the embedded simulator, in under 30 seconds.</summary>
internal static class DemoCommand
{
    public static Command Build(CliContext context)
    {
        var output = CommonOptions.Output();
        var command = new Command("demo", "Start the VPC simulator (3 zones, per-zone route tables with foreign routes, a CloudWatch alarm on RouteFailovers), run the controller with health checks against it through the real AWS SDK, stop one zone's router and show detection and failover with measured times, then the routes again and the alarm. No AWS account; every probe goes to loopback.")
        {
            output,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => new DemoRunner(context, p.GetValue(output)).RunAsync(ct)));
        return command;
    }
}
