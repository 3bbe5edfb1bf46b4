using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws sim</c>: run the EC2/CloudWatch-compatible simulator until Ctrl-C.</summary>
internal static class SimCommand
{
    public const int DefaultPort = 4566;

    public static Command Build(CliContext context)
    {
        var scenario = new Option<FileInfo>("--scenario") { Description = "Scenario file (YAML or JSON): VPC, zones, subnets, route tables, instances. See docs/simulator.md.", Required = true, HelpName = "FILE" };
        var port = new Option<int>("--port", "-p") { Description = $"Port to listen on (0 = any free port).", DefaultValueFactory = _ => DefaultPort };
        var bind = new Option<string>("--bind") { Description = "Address to listen on. Loopback by default; anything else exposes an unauthenticated admin API.", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("sim", "Run the EC2- and CloudWatch-compatible VPC simulator (the embedded default: no AWS account needed). Point any AWS SDK at the printed URL. Ctrl-C stops it.")
        {
            scenario, port, bind,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => RunAsync(context, p.GetValue(scenario)!, p.GetValue(port), p.GetValue(bind)!, ct)));
        return command;
    }

    internal static async Task<int> RunAsync(CliContext context, FileInfo scenarioFile, int port, string bind, CancellationToken cancellationToken)
    {
        if (port is < 0 or > 65535)
        {
            throw new InputFileException($"--port {port}: must be from 0 to 65535");
        }

        if (!IPAddress.TryParse(bind, out var address))
        {
            throw new InputFileException($"--bind '{bind}': not an IP address");
        }

        var text = await CommandGuard.ReadInputAsync(scenarioFile, "--scenario", cancellationToken);
        ScenarioFile scenario;
        try
        {
            scenario = ScenarioLoader.Parse(text, scenarioFile.FullName);
        }
        catch (ScenarioException ex)
        {
            throw new InputFileException(ex.Message);
        }

        // Rejected (malformed) requests and simulator failures go to stderr, one line each.
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        await using var simulator = await ListenGuard.RunAsync(
            () => VpcSimulator.StartAsync(scenario, new SimulatorOptions { BindAddress = address, Port = port, Logging = loggers }, cancellationToken), "--port", $"{address}:{port}");
        await context.Output.WriteLineAsync($"VPC simulator listening on {simulator.Endpoint} (EC2 API 2016-11-15, CloudWatch API 2010-08-01)");
        await context.Output.WriteLineAsync($"  admin API: {simulator.AdminEndpoint}");
        await context.Output.WriteLineAsync($"  try: aws ec2 describe-route-tables --endpoint-url {simulator.Endpoint} --region {scenario.Region}");
        foreach (var (instance, url) in simulator.Control.HealthEndpoints.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            await context.Output.WriteLineAsync($"  health {instance}: {url}");
        }

        await context.Output.WriteLineAsync("Ctrl-C stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await context.Output.WriteLineAsync("stopped");
        return ExitCodes.Ok;
    }
}
