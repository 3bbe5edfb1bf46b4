using System.CommandLine;
using System.Net;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws agent</c>: program forwarding routes and NetworkPolicy on this node; serve /healthz.</summary>
internal static class AgentCommand
{
    public static Command Build(CliContext context)
    {
        var controller = new Option<string?>("--controller") { Description = "The controller's API (e.g. http://romana-aws-controller:9610/); the agent reads /v1/agents/{instanceId}.", HelpName = "URL" };
        var desired = new Option<FileInfo?>("--desired") { Description = "Read the desired state from this JSON file instead (same contract; for debugging and tests).", HelpName = "FILE" };
        var policies = new Option<DirectoryInfo?>("--policies") { Description = "Read NetworkPolicies (and the Namespaces and Pods they select) from the YAML/JSON files of this directory instead of the Kubernetes API (tests, clusters without API access).", HelpName = "DIR" };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Reach the Kubernetes API with this kubeconfig. Default: the in-cluster service account when running in a pod; without either (and without --policies) no policy is enforced.", HelpName = "FILE" };
        var instance = new Option<string?>("--instance-id") { Description = "This node's instance id (default: from the instance metadata service).", HelpName = "ID" };
        var once = new Option<bool>("--once") { Description = "Sync once and exit: 0 when routes and policy are in force, 1 when not." };
        var listen = new Option<string>("--listen") { Description = "Address:port of /healthz (what the controller probes).", HelpName = "ADDRESS:PORT", DefaultValueFactory = _ => "0.0.0.0:9612" };
        var poll = new Option<int>("--poll-seconds") { Description = "Incremental sync period: fetch the desired state and write only what changed since the last sync.", HelpName = "SECONDS", DefaultValueFactory = _ => 5 };
        var resync = new Option<int>("--resync-seconds") { Description = "Full resync period: reads the kernel back and reloads the policy, repairing routes or rules changed by hand.", HelpName = "SECONDS", DefaultValueFactory = _ => 30 };
        var metadata = new Option<bool>("--allow-metadata-service") { Description = "Let pods reach the instance metadata service (blocked by default)." };
        var cniSocket = new Option<string?>("--cni-socket") { Description = "Serve the romana-aws-cni plugin on this root-only unix socket (e.g. /run/romana-aws/cni.sock): the node's pod addresses come from here.", HelpName = "PATH" };
        var cniCheckpoint = new Option<string>("--cni-checkpoint") { Description = "The node's pod addresses, written before every ADD/DEL is answered and restored on start. On /run (tmpfs): it outlives agent restarts and goes with a reboot, which ends every pod too (AWS VPC CNI keeps its checkpoint in /var/run the same way).", HelpName = "FILE", DefaultValueFactory = _ => "/run/romana-aws/cni-ipam.json" };
        var cniConfDir = new Option<string?>("--cni-conf-dir") { Description = "Write 10-romana-aws.conflist (romana-aws-cni + portmap) here once ADDs can be served (the runtime's /etc/cni/net.d).", HelpName = "DIR" };
        var cniVersion = new Option<string>("--cni-version") { Description = "cniVersion of the written conflist: 1.0.0 (containerd 1.6/1.7) or 1.1.0 (runtimes with libcni 1.2+, which call STATUS and GC).", HelpName = "VERSION", DefaultValueFactory = _ => "1.0.0" };
        var cniMtu = new Option<int?>("--cni-mtu") { Description = "Pods' MTU in the conflist (default: the plugin uses the node's primary interface MTU, 9001 on VPC jumbo frames).", HelpName = "BYTES" };
        var cniOwner = new Option<string>("--cni-default-owner") { Description = "Owner of a pod's address when the runtime passes no K8S_POD_NAMESPACE.", HelpName = "OWNER", DefaultValueFactory = _ => "default" };
        var cniGrace = new Option<int>("--cni-leak-grace-seconds") { Description = "Reclaim an address once its pod's netns and host veth have been gone this long (DEL never came).", HelpName = "SECONDS", DefaultValueFactory = _ => 120 };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = "Send this service-account token (re-read when it changes) on every call to the controller: the pod's projected token for audience romana-aws-controller, which the kubelet refreshes before it expires (kops addon: /var/run/secrets/romana-aws/token).", HelpName = "FILE" };
        var controllerCa = new Option<FileInfo?>("--controller-ca") { Description = "Trust only this PEM CA bundle for an https --controller (re-read when it changes, so a CA rotation needs no restart; kops addon: /etc/romana-aws/tls/ca.crt). Default: the system's roots.", HelpName = "FILE" };
        var controllerName = new Option<string?>("--controller-name") { Description = "The DNS name the controller's certificate must carry, when --controller is an address no certificate names (the Service IP; kops addon: romana-aws-controller.romana-aws.svc).", HelpName = "NAME" };
        var birdDir = new Option<string>("--bird-dir") { Description = "Routing modes bgp and ospf: BIRD 2's configuration (rendered from the desired state, applied with birdc configure only when it changed), control socket and log live here; the agent starts BIRD when its socket does not answer.", HelpName = "DIR", DefaultValueFactory = _ => Agent.Bird.BirdDaemon.DefaultDirectory };
        var netns = new Option<string?>("--netns") { Description = "Program this network namespace instead of the current one (tests).", Hidden = true };
        var command = new Command("agent", "Run the node agent: IP forwarding on; a route per block of every same-subnet peer (via the peer), unreachable routes for this node's group and blocks; NetworkPolicy as iptables over ipsets of block CIDRs, loaded atomically; an incremental sync every poll and a full resync that repairs tampering; /healthz.")
        {
            controller, desired, policies, kubeconfig, instance, once, listen, poll, resync, metadata, cniSocket, cniCheckpoint, cniConfDir, cniVersion, cniMtu, cniOwner, cniGrace, tokenFile, controllerCa, controllerName, birdDir, netns,
        };
        command.SetAction((p, ct) => CommandGuard.RunAsync(context, () => RunAsync(context, new AgentArgs(
            p.GetValue(controller), p.GetValue(desired), p.GetValue(policies), p.GetValue(instance), p.GetValue(once), p.GetValue(listen)!, p.GetValue(poll), p.GetValue(resync),
            p.GetValue(metadata), p.GetValue(netns), p.GetValue(kubeconfig),
            p.GetValue(cniSocket) is { } socket ? new CniArgs(socket, p.GetValue(cniCheckpoint)!, p.GetValue(cniConfDir), p.GetValue(cniVersion)!, p.GetValue(cniMtu), p.GetValue(cniOwner)!, p.GetValue(cniGrace)) : null,
            p.GetValue(tokenFile), p.GetValue(controllerCa), p.GetValue(controllerName), p.GetValue(birdDir)), ct)));
        return command;
    }

    internal sealed record AgentArgs(
        string? Controller, FileInfo? Desired, DirectoryInfo? Policies, string? InstanceId, bool Once, string Listen, int PollSeconds, int ResyncSeconds, bool AllowMetadata, string? Netns,
        FileInfo? Kubeconfig = null, CniArgs? Cni = null, FileInfo? TokenFile = null, FileInfo? ControllerCa = null, string? ControllerName = null, string? BirdDir = null);

    internal sealed record CniArgs(string Socket, string Checkpoint, string? ConfDir, string Version, int? Mtu, string DefaultOwner, int LeakGraceSeconds);

    internal static async Task<int> RunAsync(CliContext context, AgentArgs args, CancellationToken cancellationToken)
    {
        if ((args.Controller is null) == (args.Desired is null))
        {
            throw new InputFileException("give exactly one of --controller URL or --desired FILE");
        }

        Uri? controllerUrl = null;
        if (args.Controller is { } text && (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out controllerUrl) || controllerUrl.Scheme is not ("http" or "https")))
        {
            throw new InputFileException($"--controller '{text}': must be an http(s) URL such as http://romana-aws-controller:9610/");
        }

        if (args.Desired is { Exists: false })
        {
            throw new InputFileException($"--desired {args.Desired.FullName}: file not found");
        }

        if (args.Policies is { Exists: false })
        {
            throw new InputFileException($"--policies {args.Policies.FullName}: directory not found");
        }

        if (args.Kubeconfig is { Exists: false })
        {
            throw new InputFileException($"--kubeconfig {args.Kubeconfig.FullName}: file not found");
        }

        if (args.Kubeconfig is not null && args.Policies is not null)
        {
            throw new InputFileException("give at most one of --policies DIR (policies from files) or --kubeconfig FILE (policies from the Kubernetes API)");
        }

        if (!IPEndPoint.TryParse(args.Listen, out var endpoint))
        {
            throw new InputFileException($"--listen '{args.Listen}': must be address:port, such as 0.0.0.0:9612");
        }

        if (args.ResyncSeconds is < 1 or > 3600)
        {
            throw new InputFileException($"--resync-seconds {args.ResyncSeconds}: must be from 1 to 3600");
        }

        if (args.PollSeconds < 1 || args.PollSeconds > args.ResyncSeconds)
        {
            throw new InputFileException($"--poll-seconds {args.PollSeconds}: must be from 1 to --resync-seconds ({args.ResyncSeconds})");
        }

        var cniOptions = args.Cni is { } cni ? CniOptions(cni) : null;
        using var http = ControllerClient(args, controllerUrl);
        string instanceId;
        using (var metadata = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            instanceId = args.InstanceId ?? await InstanceMetadata.InstanceIdAsync(metadata, cancellationToken);
        }

        if (!Core.Ipam.Ipam.IsHostId(instanceId))
        {
            throw new InputFileException($"{(args.InstanceId is null ? "instance metadata gave instance id" : "--instance-id")} '{Core.Configuration.Echo.Cap(instanceId)}': must look like i-0123456789abcdef0 (i- and 8 or 17 lowercase hex digits), or be the Kubernetes node name (routing mode bgp)");
        }
        using var kubernetes = args.Policies is null ? KubernetesClient(args.Kubeconfig) : null;
        var apiSource = kubernetes is null ? null : new KubernetesPolicySource(kubernetes, line => context.Error.WriteLineAsync($"kubernetes: {line}"), TimeProvider.System, TimeSpan.FromMinutes(10));
        using var stopSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sourceRun = apiSource?.RunAsync(stopSource.Token) ?? Task.CompletedTask;
        if (apiSource is not null)
        {
            await context.Output.WriteLineAsync($"agent {instanceId}: policies from the Kubernetes API at {kubernetes!.BaseUri} (NetworkPolicies, Pods and Namespaces watched)");
            await KubernetesAccess.WaitSyncedAsync(apiSource, context.Error, cancellationToken);
        }
        else if (args.Policies is null)
        {
            await context.Output.WriteLineAsync($"agent {instanceId}: no Kubernetes API (not in a cluster, no --kubeconfig) and no --policies: no NetworkPolicy is enforced");
        }

        var sync = new AgentSync(
            new AgentSource(controllerUrl, args.Desired?.FullName, instanceId),
            args.Policies is null ? apiSource : new PolicyDirectory(args.Policies.FullName),
            new LinuxKernel(new CommandRunner(args.Netns)),
            new PolicyOptions { BlockMetadataService = !args.AllowMetadata },
            http,
            TimeProvider.System,
            new Agent.Bird.BirdDaemon(new CommandRunner(args.Netns), Path.GetFullPath(args.BirdDir ?? Agent.Bird.BirdDaemon.DefaultDirectory), instanceId));
        if (args.Once)
        {
            var status = await sync.SyncAsync(cancellationToken);
            await context.Output.WriteLineAsync($"{instanceId}: {status.Routes} route(s) wanted, {status.RouteChanges} changed; {status.PolicyRules} policy rule(s); forwarding {(status.Forwarding ? "on" : "OFF")}" +
                (status.LastError is null ? string.Empty : $"; error: {status.LastError}"));
            await stopSource.CancelAsync();
            await sourceRun;
            return status.Healthy(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(1)) ? ExitCodes.Ok : ExitCodes.Failure;
        }

        await using var cniNode = cniOptions is null ? null : await CniNode.StartAsync(cniOptions, new LinuxKernel(new CommandRunner(args.Netns)), () => sync.Status, TimeProvider.System, cancellationToken,
            controllerUrl is null ? null : new ControllerBlocksClient(http, controllerUrl, instanceId), kubernetes is null ? null : new PodOwnerLookup(kubernetes, apiSource?.Pods));
        if (cniNode is not null)
        {
            await context.Output.WriteLineAsync($"agent {instanceId}: CNI socket {cniOptions!.SocketPath}, checkpoint {cniOptions.CheckpointPath} ({cniNode.Addresses.Attachments().Count} address(es) restored, {cniNode.Addresses.Dropped.Count} dropped: container gone)");
        }

        var host = new AgentHost(sync, new AgentHostOptions(endpoint, TimeSpan.FromSeconds(args.PollSeconds), TimeSpan.FromSeconds(args.ResyncSeconds)), TimeProvider.System, cniNode);
        var run = host.RunAsync(error => context.Error.WriteLineAsync(error), cancellationToken);
        if (await Task.WhenAny(host.Listening, run) == host.Listening && host.Listening.IsCompletedSuccessfully)
        {
            await context.Output.WriteLineAsync($"agent {instanceId}: /healthz on http://{endpoint}/healthz, incremental sync every {args.PollSeconds} s, full resync every {args.ResyncSeconds} s (Ctrl-C stops it)");
        }

        await ListenGuard.RunAsync(() => run, "--listen", args.Listen);
        await stopSource.CancelAsync();
        await sourceRun;
        return ExitCodes.Ok;
    }

    /// <summary>The controller's client: its CA and the token file checked now, so a wrong path fails at start, naming the option.</summary>
    private static HttpClient ControllerClient(AgentArgs args, Uri? controller)
    {
        if (args.TokenFile is { Exists: false } || args.ControllerCa is { Exists: false })
        {
            var (option, file) = args.TokenFile is { Exists: false } ? ("--token-file", args.TokenFile) : ("--controller-ca", args.ControllerCa!);
            throw new InputFileException($"{option} {file.FullName}: file not found");
        }

        if (args.ControllerName is not null && args.ControllerCa is null)
        {
            throw new InputFileException("--controller-name needs --controller-ca: the name is checked in a certificate of that CA");
        }

        if (args.TokenFile is not null && controller is { Scheme: "http" } && !controller.IsLoopback)
        {
            throw new InputFileException($"--token-file with --controller {controller}: the token would cross the network in clear; use an https --controller (and --controller-ca)");
        }

        if (args.ControllerCa is not null && controller?.Scheme != "https")
        {
            throw new InputFileException($"--controller-ca is for an https --controller; {controller?.ToString() ?? "--desired"} is not one");
        }

        var token = args.TokenFile is null ? null : new TokenFile(args.TokenFile.FullName, TimeProvider.System);
        Core.Security.CaTrust? trust = null;
        try
        {
            _ = token?.Current();
            if (args.ControllerCa is not null)
            {
                trust = new Core.Security.CaTrust(args.ControllerCa.FullName, TimeProvider.System, args.ControllerName);
                _ = trust.Authorities;
            }
        }
        catch (CredentialException ex)
        {
            throw new InputFileException($"--token-file: {ex.Message}");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InputFileException($"--controller-ca {args.ControllerCa!.FullName}: {ex.Message}");
        }

        return ControllerHttp.Create(token, trust, TimeSpan.FromSeconds(10));
    }

    private static k8s.Kubernetes? KubernetesClient(FileInfo? kubeconfig)
    {
        try
        {
            return KubernetesAccess.Client(kubeconfig?.FullName);
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw new InputFileException(kubeconfig is null ? $"in-cluster Kubernetes configuration: {ex.Message}" : $"--kubeconfig {kubeconfig.FullName}: {ex.Message}");
        }
    }

    private static CniNodeOptions CniOptions(CniArgs cni)
    {
        if (!Path.IsPathRooted(cni.Socket) || cni.Socket.Length > 107)
        {
            throw new InputFileException($"--cni-socket '{Core.Configuration.Echo.Cap(cni.Socket)}': must be an absolute path of at most 107 characters (a unix socket)");
        }

        if (cni.Version is not ("0.4.0" or "1.0.0" or "1.1.0"))
        {
            throw new InputFileException($"--cni-version '{Core.Configuration.Echo.Cap(cni.Version)}': must be 0.4.0, 1.0.0 or 1.1.0");
        }

        if (cni.Mtu is < 68 or > 65535)
        {
            throw new InputFileException($"--cni-mtu {cni.Mtu}: must be from 68 to 65535 (9001 on VPC jumbo frames)");
        }

        if (cni.LeakGraceSeconds is < 1 or > 86400)
        {
            throw new InputFileException($"--cni-leak-grace-seconds {cni.LeakGraceSeconds}: must be from 1 to 86400");
        }

        if (string.IsNullOrWhiteSpace(cni.DefaultOwner) || cni.DefaultOwner.Length > 253)
        {
            throw new InputFileException($"--cni-default-owner '{Core.Configuration.Echo.Cap(cni.DefaultOwner)}': must be 1–253 characters (a namespace name)");
        }

        return new CniNodeOptions(Path.GetFullPath(cni.Socket), Path.GetFullPath(cni.Checkpoint), cni.ConfDir is null ? null : Path.GetFullPath(cni.ConfDir), cni.Version, cni.Mtu, cni.DefaultOwner, TimeSpan.FromSeconds(cni.LeakGraceSeconds));
    }
}
