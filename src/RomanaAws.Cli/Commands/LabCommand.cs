using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Lab.Build;
using RomanaAws.Lab.Scenarios;
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
        var image = new Option<FileInfo?>("--image") { Description = "The pods' OCI image archive (default: built now by scripts/cni-lab/build-image.sh: busybox and pod-echo, which answers TCP and UDP on 8080 with the pod's name).", HelpName = "FILE" };
        var policy = new Option<bool>("--policy") { Description = "Policy scenario: give every agent a NetworkPolicy set (db admits only TCP from web; web sends only to web and db) and check the matrix becomes exactly what those policies mean, then back to full when removed." };
        var grow = new Option<int>("--grow") { Description = "Growth scenario: while a pod in another zone pings a pod every 20 ms, add N nodes to that pod's instance group (each with an agent, containerd and a pod); checks no VPC route is added and no probe lost.", HelpName = "N", DefaultValueFactory = _ => 0 };
        var up = new Command("up", "Build the lab (router namespace following the simulator's route tables, a namespace per instance with its private IP, the simulator + controller on the master, the real agent and a containerd on every worker, pods made as the CRI makes them: namespace, the real CNI plugin, a container), print it, and check that every pod reaches every other pod over TCP and UDP; then the chosen scenarios. Removes everything after, unless --keep.")
        {
            scenario, config, pods, plugin, image, keep, failover, policy, grow,
        };
        up.SetAction((p, ct) => CommandGuard.RunAsync(context, () => UpAsync(context, new UpArguments(p.GetValue(scenario), p.GetValue(config), p.GetValue(pods), p.GetValue(plugin), p.GetValue(image), p.GetValue(keep), p.GetValue(failover), p.GetValue(policy), p.GetValue(grow)), ct)));

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

    private static async Task<int> UpAsync(CliContext context, UpArguments a, CancellationToken cancellationToken)
    {
        if (a.Failovers is < 0 or > 100)
        {
            throw new InputFileException($"--failover {a.Failovers}: must be from 0 to 100 trials per path");
        }

        if (a.PodsPerNode is < 0 or > 16)
        {
            throw new InputFileException($"--pods-per-node {a.PodsPerNode}: must be from 0 to 16");
        }

        if (a.Grow is < 0 or > 8)
        {
            throw new InputFileException($"--grow {a.Grow}: must be from 0 to 8 nodes");
        }

        var repo = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..");
        var pluginPath = a.Plugin?.FullName ?? Environment.GetEnvironmentVariable("ROMANA_CNI_PLUGIN") ?? Path.Combine(repo, "artifacts", "cni", "romana-aws-cni");
        if (!File.Exists(pluginPath))
        {
            throw new InputFileException($"--plugin {Path.GetFullPath(pluginPath)}: file not found (scripts/publish-cni.sh builds it)");
        }

        if (a.Image is { Exists: false })
        {
            throw new InputFileException($"--image {a.Image.FullName}: file not found (scripts/cni-lab/build-image.sh OUT.tar builds it)");
        }

        var defaults = Directory.CreateTempSubdirectory("romana-lab-").FullName;
        try
        {
            var scenarioPath = a.Scenario?.FullName ?? Write(defaults, "sim-3zone.yaml", "demo/sim-3zone.yaml");
            var configPath = a.Config?.FullName ?? Write(defaults, "controller.yaml", "demo/controller.yaml");
            var imagePath = a.Image?.FullName ?? BuildImage(repo, defaults);
            var self = Environment.ProcessPath!;
            IReadOnlyList<string> prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(LabCommand).Assembly.Location] : [];
            var options = new LabOptions(scenarioPath, configPath, self, prefix, Path.GetFullPath(pluginPath), imagePath, a.PodsPerNode, LiftFailoverCap: a.Failovers > 2);
            var cluster = await LabCluster.UpAsync(options, context.Output, cancellationToken);
            try
            {
                return await LabRun.ScenariosAsync(context.Output, cluster, a.Failovers, a.Policy, a.Grow, cancellationToken) ? ExitCodes.Ok : ExitCodes.Failure;
            }
            finally
            {
                await cluster.DisposeAsync();
                if (!a.Keep)
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

    private static string BuildImage(string repo, string directory)
    {
        var script = Path.GetFullPath(Path.Combine(repo, "scripts", "cni-lab", "build-image.sh"));
        if (!File.Exists(script))
        {
            throw new InputFileException($"--image not given and {script} not found: pass an image archive built by scripts/cni-lab/build-image.sh");
        }

        var archive = Path.Combine(directory, "image.tar");
        Shell.Run("bash", script, archive);
        return archive;
    }

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
                var (routes, ports) = router.Follow(dataplane!);
                if (routes + ports > 0)
                {
                    // The mirroring delay of route changes: from the simulator's last write to the change being in the kernel
                    // (one clock: same machine). Port changes may follow a transition the simulator makes by itself later
                    // (pending → running), so they are not timed.
                    var now = TimeProvider.System.GetUtcNow();
                    var delay = routes > 0 && dataplane!.ChangedAt is { } written ? $", {(now - written).TotalMilliseconds:0}{MirrorLog.Marker}" : "";
                    await context.Output.WriteLineAsync($"{now:HH:mm:ss.fff} applied {routes} route and {ports} port change(s){delay}");
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
