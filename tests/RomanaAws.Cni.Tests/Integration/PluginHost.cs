using System.Diagnostics;
using System.Text.Json;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.CniProtocol;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Cni.Tests.Integration;

/// <summary>
/// A node for spec-level tests: a "host" network namespace the test creates (lo up, a primary interface (a veth; no dummy module everywhere) with a
/// default route), the agent's real CNI socket served in-process over a checkpoint in a temp directory, and the
/// plugin binary run as a runtime runs it: CNI_* environment, config on stdin, inside the host namespace
/// (nsenter --net). Pods are further namespaces made here. Everything is removed on dispose.
/// </summary>
internal sealed class PluginHost : IAsyncDisposable
{
    public static readonly OwnedBlock[] Blocks = [new(Cidr.Parse("100.97.0.0/28"), "default"), new(Cidr.Parse("100.97.0.16/28"), "team-a")];

    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];
    private Microsoft.AspNetCore.Builder.WebApplication? _agent;

    public PluginHost()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("romana-cni-spec-").FullName;
        Netns = $"rch-{_id}";
        try
        {
            AddNamespace(Netns);
            Sh($"ip -n {Netns} link set lo up && ip -n {Netns} link add uplink mtu 9001 type veth peer name uplink-peer mtu 9001 && ip -n {Netns} link set uplink-peer up && ip -n {Netns} link set uplink up && ip -n {Netns} addr add 10.98.0.1/24 dev uplink && ip -n {Netns} route add default via 10.98.0.254 dev uplink onlink");
        }
        catch
        {
            // No DisposeAsync comes for a host that failed to build: remove what it made here.
            Remove();
            throw;
        }
    }

    /// <summary>The plugin under test: $ROMANA_CNI_PLUGIN (scripts/test.sh sets it to the Native AOT build), else the build output's apphost.</summary>
    public static string Plugin => Environment.GetEnvironmentVariable("ROMANA_CNI_PLUGIN") is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "romana-aws-cni");

    public string Directory { get; }

    public string Netns { get; }

    public string Socket => Path.Combine(Directory, "run", "cni.sock");

    public PodAddressService? Addresses { get; private set; }

    /// <summary>Why these tests cannot run here, or null.</summary>
    public static string? Missing() =>
        !OperatingSystem.IsLinux() || Environment.UserName != "root" ? "needs Linux and root"
        : !File.Exists(Plugin) ? $"no plugin binary at {Plugin}"
        : !File.Exists("/usr/lib/cni/portmap") ? "containernetworking-plugins is not installed (scripts/test.sh installs it as root)"
        : null;

    public async Task StartAgentAsync(CniStatus? status = null)
    {
        Addresses ??= new PodAddressService(new CheckpointFile(Path.Combine(Directory, "ipam.json")), Blocks, _ => true);
        _agent = await CniSocketHost.StartAsync(Socket, Addresses, () => status ?? new CniStatus(0, "ready"), CancellationToken.None);
    }

    public async Task StopAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
            _agent = null;
        }
    }

    public string NewPod()
    {
        var name = $"rcp{_namespaces.Count}-{_id}";
        AddNamespace(name);
        return name;
    }

    public string Config(string version = "1.0.0", string extra = "") =>
        $$"""{"cniVersion":"{{version}}","name":"romana-aws","type":"romana-aws-cni","agentSocket":"{{Socket}}"{{extra}}}""";

    /// <summary>One plugin call as a runtime makes it; stdout parsed as JSON when there is any.</summary>
    public PluginRun Run(string command, string containerId, string? pod, string config, string ifName = "eth0", string? args = null) =>
        Exec(Plugin, command, containerId, pod, config, ifName, args);

    /// <summary>A reference plugin from Debian's containernetworking-plugins, chained the same way.</summary>
    public PluginRun RunReference(string plugin, string command, string containerId, string? pod, string config) =>
        Exec($"/usr/lib/cni/{plugin}", command, containerId, pod, config, "eth0", null);

    private PluginRun Exec(string binary, string command, string containerId, string? pod, string config, string ifName, string? args)
    {
        var info = new ProcessStartInfo("nsenter", ["--net=/run/netns/" + Netns, "--", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
            $"CNI_COMMAND={command}", $"CNI_CONTAINERID={containerId}", $"CNI_NETNS={(pod is null ? "" : "/run/netns/" + pod)}", $"CNI_IFNAME={ifName}",
            "CNI_PATH=/usr/lib/cni", $"CNI_ARGS={args ?? "IgnoreUnknown=1"}", binary])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        process.StandardInput.Write(config);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{binary} {command} did not finish in 60 s");
        }

        return new PluginRun(process.ExitCode, output.Result, error);
    }

    public static string Sh(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"'{script}' failed ({process.ExitCode}): {error}");
    }

    public static bool Ok(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private void AddNamespace(string name)
    {
        Sh($"ip netns add {name}");
        _namespaces.Add(name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync();
        Remove();
    }

    private void Remove()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            Ok($"ip netns del {ns}");
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
