using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Lab.Build;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws lab</c>: a whole cluster in network namespaces whose packets follow the simulator's route tables (root).</summary>
internal static class LabCommand
{
    public static Command Build(CliContext context)
    {
        var scenario = new Option<FileInfo?>("--scenario") { Description = "Simulator scenario (default: the embedded 3-zone demo VPC).", HelpName = "FILE" };
        var config = new Option<FileInfo?>("--config") { Description = "Controller config (default: the embedded demo config).", HelpName = "FILE" };
        var pods = new Option<int>("--pods-per-node") { Description = "Pods per worker node, made by the real CNI plugin.", HelpName = "N", DefaultValueFactory = _ => 3 };
        var plugin = new Option<FileInfo?>("--plugin") { Description = "The romana-aws-cni binary (default: $ROMANA_CNI_PLUGIN, else artifacts/cni/romana-aws-cni; scripts/publish-cni.sh builds it).", HelpName = "FILE" };
        var keep = new Option<bool>("--keep") { Description = "Leave the lab up for poking (romana-aws lab exec, romana-aws lab down)." };
        var failover = new Option<int>("--failover") { Description = "After the reachability matrix, measure failover in packets N times per path (EC2: the router node stopped; probe: its agent's health check failing while EC2 says running): a pod in another zone pings every 20 ms through the failover. Above 2 trials the controller's flap-damping cap (health.maxFailovers) is lifted, as repeated trials would hit it.", HelpName = "N", DefaultValueFactory = _ => 0 };
        var up = new Command("up", "Build the lab (router namespace following the simulator's route tables, a namespace per instance with its private IP, the simulator + controller on the master, the real agent on every node, pods from the real CNI plugin), print it, and check that every pod reaches every other pod. Removes everything after, unless --keep.")
        {
            scenario, config, pods, plugin, keep, failover,
        };
        up.SetAction((p, ct) => CommandGuard.RunAsync(context, () => UpAsync(context, p.GetValue(scenario), p.GetValue(config), p.GetValue(pods), p.GetValue(plugin), p.GetValue(keep), p.GetValue(failover), ct)));

        var down = new Command("down", "Remove a lab left up by --keep (or by a crash): its processes and every rlab- namespace.");
        down.SetAction((_, _) => CommandGuard.RunAsync(context, async () =>
        {
            await context.Output.WriteLineAsync($"lab removed ({LabCleanup.Run()} namespace(s))");
            return ExitCodes.Ok;
        }));

        var pod = new Argument<string>("NAMESPACE") { Description = "A lab namespace (e.g. rlab-i-0a000000000000002-p0, or a node rlab-i-…)." };
        var rest = new Argument<string[]>("COMMAND") { Description = "The command to run in it.", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec", "Run a command inside a lab namespace.") { pod, rest };
        exec.SetAction((p, _) => CommandGuard.RunAsync(context, async () =>
        {
            var ns = p.GetValue(pod)!;
            if (!ns.StartsWith(LabNames.Prefix, StringComparison.Ordinal))
            {
                throw new InputFileException($"NAMESPACE '{Core.Configuration.Echo.Cap(ns)}': not a lab namespace (they start with {LabNames.Prefix})");
            }

            await context.Output.WriteAsync(Shell.Run("nsenter", [$"--net=/run/netns/{ns}", "--", .. p.GetValue(rest)!], null));
            return ExitCodes.Ok;
        }));

        var sim = new Option<string>("--sim") { Description = "The simulator's URL.", Required = true };
        var router = new Command("router", "Keep the lab's VPC router namespace equal to the simulator's data plane (run by lab up on the master node).") { sim };
        router.Hidden = true;
        router.SetAction((p, ct) => CommandGuard.RunAsync(context, () => FollowAsync(context, new Uri(p.GetValue(sim)!), ct)));

        return new Command("lab", "The lab: the whole product on one machine in network namespaces, with real packets on the routes the controller writes (root).") { up, down, exec, router };
    }

    private static async Task<int> UpAsync(CliContext context, FileInfo? scenario, FileInfo? config, int podsPerNode, FileInfo? plugin, bool keep, int failovers, CancellationToken cancellationToken)
    {
        if (failovers is < 0 or > 100)
        {
            throw new InputFileException($"--failover {failovers}: must be from 0 to 100 trials per path");
        }

        if (podsPerNode is < 0 or > 16)
        {
            throw new InputFileException($"--pods-per-node {podsPerNode}: must be from 0 to 16");
        }

        var pluginPath = plugin?.FullName ?? Environment.GetEnvironmentVariable("ROMANA_CNI_PLUGIN") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts", "cni", "romana-aws-cni");
        if (!File.Exists(pluginPath))
        {
            throw new InputFileException($"--plugin {Path.GetFullPath(pluginPath)}: file not found (scripts/publish-cni.sh builds it)");
        }

        var defaults = Directory.CreateTempSubdirectory("romana-lab-").FullName;
        try
        {
            var scenarioPath = scenario?.FullName ?? Write(defaults, "sim-3zone.yaml", "demo/sim-3zone.yaml");
            var configPath = config?.FullName ?? Write(defaults, "controller.yaml", "demo/controller.yaml");
            var self = Environment.ProcessPath!;
            IReadOnlyList<string> prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(LabCommand).Assembly.Location] : [];
            var cluster = await LabCluster.UpAsync(new LabOptions(scenarioPath, configPath, self, prefix, Path.GetFullPath(pluginPath), podsPerNode, LiftFailoverCap: failovers > 2), context.Output, cancellationToken);
            try
            {
                var failed = await cluster.UnreachableAsync(cancellationToken);
                var pairs = cluster.Pods.Count * (cluster.Pods.Count - 1);
                await context.Output.WriteLineAsync($"reachability: {pairs - failed.Count} of {pairs} pod pairs answer ping across {cluster.Pods.Select(p => p.Zone).Distinct().Count()} zone(s)");
                foreach (var (from, to) in failed.Take(20))
                {
                    await context.Output.WriteLineAsync($"  UNREACHABLE {from.Namespace} ({from.Address}, {from.Zone}) -> {to.Namespace} ({to.Address}, {to.Zone})");
                }

                var lossAfter = 0;
                foreach (var stop in failovers > 0 ? new[] { true, false } : [])
                {
                    var blackouts = new List<double>();
                    for (var trial = 1; trial <= failovers; trial++)
                    {
                        // Let the previous trial's node come back and the controller settle before the next one.
                        await Task.Delay(TimeSpan.FromSeconds(trial == 1 ? 8 : 6), cancellationToken);
                        var (report, routerNode, client, target) = await cluster.FailoverAsync(stop, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(12), cancellationToken);
                        blackouts.Add(report.Blackout.TotalMilliseconds);
                        lossAfter += report.LostAfterRecovery + (report.Recovered ? 0 : 1);
                        await context.Output.WriteLineAsync($"failover ({(stop ? "EC2: router stopped" : "probe: router's agent unhealthy")}) trial {trial}: {client.Namespace[LabNames.Prefix.Length..]} ({client.Zone}) -> {target.Address} ({target.Zone}) via {routerNode}: blackout {report.Blackout.TotalMilliseconds:0} ms{(report.Recovered ? "" : " (NOT recovered before the stream ended)")}, {report.Answered}/{report.Sent} answered, {report.LostAfterRecovery} lost after recovery");
                    }

                    blackouts.Sort();
                    await context.Output.WriteLineAsync($"failover {(stop ? "EC2 path" : "probe path")}: blackout p50 {Percentile(blackouts, 50):0} ms, p99 {Percentile(blackouts, 99):0} ms over {blackouts.Count} trial(s)");
                }

                return failed.Count == 0 && lossAfter == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            }
            finally
            {
                await cluster.DisposeAsync();
                if (!keep)
                {
                    LabCleanup.Run();
                }
                else
                {
                    await context.Output.WriteLineAsync("kept: romana-aws lab exec NAMESPACE -- CMD; romana-aws lab down removes it (the processes were stopped; namespaces and pods stay)");
                }
            }
        }
        finally
        {
            Directory.Delete(defaults, recursive: true);
        }
    }

    private static double Percentile(List<double> sorted, int p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Write(string directory, string name, string resource)
    {
        using var stream = typeof(LabCommand).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"embedded resource {resource} missing");
        var path = Path.Combine(directory, name);
        using var file = File.Create(path);
        stream.CopyTo(file);
        return path;
    }

    private static async Task<int> FollowAsync(CliContext context, Uri sim, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var router = RouterNamespace.Attach();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        do
        {
            try
            {
                var dataplane = await http.GetFromJsonAsync<VpcDataplane>(new Uri(sim, "_sim/dataplane"), json, cancellationToken);
                var changes = router.Follow(dataplane!);
                if (changes > 0)
                {
                    await context.Output.WriteLineAsync($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} applied {changes} router change(s)");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or LabException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync($"router follower: {ex.Message}");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
        return ExitCodes.Ok;
    }
}
