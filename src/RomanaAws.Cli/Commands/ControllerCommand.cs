using System.CommandLine;
using RomanaAws.Controller;
using RomanaAws.Controller.Configuration;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws controller</c>: run the VPC route controller, or one full reconcile with <c>--once</c>.</summary>
internal static class ControllerCommand
{
    public static Command Build(CliContext context)
    {
        var config = CommonOptions.Config();
        var once = new Option<bool>("--once") { Description = "Run one full reconcile and exit: 0 when it succeeded, 1 when it did not (for operators and scripts)." };
        var logFormat = new Option<string>("--log-format") { Description = "Log format: text (human-readable) or json (JSON lines).", DefaultValueFactory = _ => "text" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var kubeconfig = new Option<FileInfo?>("--kubeconfig")
        {
            Description = "A kubeconfig for the Kubernetes API (Nodes' NetworkUnavailable condition, route events, deleted Nodes); overrides kubernetes.kubeconfig. Without either, in-cluster config when running in a pod, else no Kubernetes.",
        };
        var command = new Command("controller", "Run the VPC route controller: keeps one route per non-empty IPAM group in every managed route table, under the route budget, never touching routes it does not own. Serves /healthz, /readyz, /v1/routes, /v1/ipam and /metrics on controller.listen. Settings come from the config file's aws: and controller: sections, overridable by environment variables (ROMANA_CONTROLLER__RESYNCSECONDS=10).")
        {
            config, once, logFormat, kubeconfig,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => RunAsync(context, p.GetValue(config)!, p.GetValue(once), p.GetValue(logFormat)!, p.GetValue(kubeconfig), ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, FileInfo file, bool once, string logFormat, FileInfo? kubeconfig, CancellationToken cancellationToken)
    {
        var config = ControllerConfig.Load(file.FullName, kubeconfig is null ? [] : [$"--kubernetes:kubeconfig={kubeconfig.FullName}"]);
        var options = new ControllerHostOptions { LogFormat = logFormat };
        if (once)
        {
            var result = await ControllerHost.RunOnceAsync(config, options, cancellationToken);
            await context.Output.WriteLineAsync(
                $"reconciled {result.Tables.Count} table(s) ({result.TableSelection}) in VPC {result.VpcId ?? "(none found)"}: {result.Plan.Operations.Count} route write(s) and " +
                $"{result.Plan.DisableSourceDestCheck.Count} source/dest-check change(s) planned, {result.Applied} applied, {result.Errors.Count} error(s); " +
                $"{result.ManagedRoutes} managed route(s); lowest budget headroom {result.RouteBudgetHeadroom?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}");
            }

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
        }

        await using var app = ControllerHost.Build(config, options);
        await ListenGuard.RunAsync(() => app.StartAsync(cancellationToken), "controller.listen", config.Controller.Listen);
        await context.Output.WriteLineAsync($"controller running for {config.Topology.Cluster}; API on http://{config.Controller.Listen}/ (Ctrl-C stops it)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }
}
