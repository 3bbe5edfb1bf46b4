using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Cli.Tests.Deployment;

/// <summary>
/// The images. The Dockerfile cannot drift from the program (its entrypoint and default arguments are the CLI's, the
/// controller's user is the kops manifest's), and the images scripts/test.sh builds with it (scripts/build-image.sh
/// --local: buildah, vfs, chroot isolation, Debian bases from debootstrap) really run: imported into containerd, the
/// controller answers /readyz against the simulator, the agent installs the plugin and serves a pod, with exactly the
/// DaemonSet's security context and host mounts; and without its privileges the agent says it cannot work.
/// </summary>
public sealed partial class ImageTests(ITestOutputHelper output)
{
    private sealed record Stage(string Name, List<string> Lines)
    {
        public string[] Json(string instruction) =>
            JsonSerializer.Deserialize<string[]>(Lines.Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))[(instruction.Length + 1)..])!;
    }

    private static string Archives => Environment.GetEnvironmentVariable("ROMANA_IMAGE_ARCHIVES") ?? Path.Combine(CliRun.RepoRoot, "artifacts", "images");

    private static Dictionary<string, Stage> Stages()
    {
        var text = File.ReadAllText(Path.Combine(CliRun.RepoRoot, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = new Dictionary<string, Stage>(StringComparer.Ordinal);
        Stage? current = null;
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (FromLine().Match(line) is { Success: true } from)
            {
                current = new Stage(from.Groups["name"].Value, []);
                stages[current.Name] = current;
            }

            current?.Lines.Add(line);
        }

        return stages;
    }

    private static async Task<List<object>> ManifestAsync()
    {
        var directory = Directory.CreateTempSubdirectory("romana-image-manifest-");
        try
        {
            var run = await Repo.RunAsync("env", "ETCD_ENDPOINTS=https://10.0.0.5:2379", "bash", Path.Combine(CliRun.RepoRoot, "kops-addon", "render.sh"), "demo.k8s.local", "100.96.0.0/11", "us-east-1a", directory.FullName);
            Assert.True(run.ExitCode == 0, run.Error);
            return KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(directory.FullName, "v0.1.0.yaml")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("controller")]
    [InlineData("agent")]
    public void Stage_DefaultArguments_AreAcceptedByTheCli(string target)
    {
        var stage = Stages()[target];
        Assert.Equal(["/app/romana-aws"], stage.Json("ENTRYPOINT"));
        var parse = CliRun.Parse(stage.Json("CMD"));
        Assert.Empty(parse.Errors);
        Assert.Equal(target, parse.CommandResult.Command.Name);
        Assert.Contains("COPY artifacts/image/romana-aws/ /app/", stage.Lines);
    }

    [Fact]
    public async Task Controller_RunsAsTheManifestsNonRootUser_AgentCarriesTheKernelTools_BasesAreArguments()
    {
        var stages = Stages();
        var controller = (await ManifestAsync()).OfType<V1Deployment>().Single().Spec.Template.Spec;
        Assert.Contains(stages["controller"].Lines, l => l == $"USER {controller.SecurityContext.RunAsUser}");
        Assert.True(controller.SecurityContext.RunAsNonRoot);
        Assert.DoesNotContain(stages["agent"].Lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        var install = Assert.Single(stages["agent"].Lines, l => l.Contains("apt-get install", StringComparison.Ordinal));
        Assert.All(new[] { "iproute2", "iptables", "ipset", "procps", "bird2" }, tool => Assert.Contains($" {tool}", install, StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(Path.Combine(CliRun.RepoRoot, "Dockerfile"));
        Assert.Contains("FROM ${BASE} AS controller", text, StringComparison.Ordinal);
        Assert.Contains("FROM ${AGENT_BASE} AS agent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet/sdk", text, StringComparison.Ordinal);
    }

    /// <summary>containerd's default capabilities of a container that is not privileged (what "drop: [ALL]" must remove).</summary>
    private static readonly string[] ContainerdDefaults =
        ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"];

    /// <summary>Capability numbers (linux/capability.h) of those a manifest may add here.</summary>
    private static readonly Dictionary<string, int> CapabilityBits = new(StringComparer.Ordinal) { ["NET_ADMIN"] = 12, ["NET_RAW"] = 13 };

    /// <summary>A container's ctr flags from the DaemonSet: its security context, and every hostPath volume at its mount.</summary>
    private static List<string> CtrFlags(V1PodSpec pod, V1Container container, IReadOnlyList<string>? withoutCapabilities = null)
    {
        var flags = new List<string>();
        var context = container.SecurityContext ?? new V1SecurityContext();
        if (context.Privileged == true)
        {
            flags.Add("--privileged");
        }

        var add = (context.Capabilities?.Add ?? []).Except(withoutCapabilities ?? []).ToList();
        if (context.Capabilities?.Drop?.Contains("ALL") == true)
        {
            foreach (var capability in ContainerdDefaults.Except(add))
            {
                flags.AddRange(["--cap-drop", $"CAP_{capability}"]);
            }
        }

        foreach (var capability in add)
        {
            flags.AddRange(["--cap-add", $"CAP_{capability}"]);
        }

        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Volumes.Single(v => v.Name == mount.Name);
            if (volume.HostPath is null)
            {
                continue; // the projected token and the CA: the controller here is on loopback, without TLS
            }

            var options = mount.ReadOnlyProperty == true ? "rbind:ro" : "rbind:rw";
            options += mount.MountPropagation == "HostToContainer" ? ":rslave" : string.Empty;
            flags.AddRange(["--mount", $"type=bind,src={volume.HostPath.Path},dst={mount.MountPath},options={options}"]);
        }

        return flags;
    }

    /// <summary>The image lab's environment for the DaemonSet's init containers and the agent's expected CapEff.</summary>
    private static Dictionary<string, string> InitEnvironment(V1PodSpec agent, bool forwarding = true)
    {
        var enable = agent.InitContainers.Single(c => c.Name == "enable-forwarding");
        var capabilities = agent.Containers.Single().SecurityContext.Capabilities.Add;
        var mask = capabilities.Aggregate(0L, (m, c) => m | (1L << (CapabilityBits.TryGetValue(c, out var bit) ? bit : throw new InvalidOperationException($"capability {c}: add its number to CapabilityBits"))));
        return new Dictionary<string, string>
        {
            ["IMAGE_LAB_FORWARDING_FLAGS"] = string.Join(' ', CtrFlags(agent, enable)),
            ["IMAGE_LAB_FORWARDING_COMMAND"] = forwarding ? string.Join(' ', enable.Command) : string.Empty,
            ["IMAGE_LAB_INSTALL_FLAGS"] = string.Join(' ', CtrFlags(agent, agent.InitContainers.Single(c => c.Name == "install-cni"))),
            ["IMAGE_LAB_AGENT_CAPEFF"] = mask.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private async Task<(int ExitCode, List<string> Lines)> RunLabAsync(IReadOnlyList<string> flags, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(CliRun.RepoRoot, "scripts", "image-lab", "run.sh"), Path.Combine(Archives, "controller.tar"), Path.Combine(Archives, "agent.tar"), "--", .. flags])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var lab = Process.Start(info)!;
        var stdout = lab.StandardOutput.ReadToEndAsync();
        var stderr = lab.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await lab.WaitForExitAsync(timeout.Token);
        var lines = ((await stdout) + (await stderr)).Split('\n').ToList();
        output.WriteLine(string.Join('\n', lines.Where(l => !l.Contains(" INF ", StringComparison.Ordinal))));
        return (lab.ExitCode, lines);
    }

    private bool Present()
    {
        var root = Environment.IsPrivilegedProcess;
        var archives = File.Exists(Path.Combine(Archives, "controller.tar")) && File.Exists(Path.Combine(Archives, "agent.tar"));
        if (root && archives)
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but {(root ? $"no image archives in {Archives} (scripts/test.sh builds them with scripts/build-image.sh --local)" : "not root")}");
        output.WriteLine($"skipped: {(root ? $"no image archives in {Archives}" : "not root")}");
        return false;
    }

    private static void Passed(List<string> lines, string check) =>
        Assert.True(lines.Any(l => l.StartsWith("==> PASS " + check, StringComparison.Ordinal)), $"image lab check '{check}' did not pass:\n{string.Join('\n', lines.Where(l => l.StartsWith("==> ", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal)).TakeLast(30))}");

    [Fact]
    public async Task BuiltImages_RunInContainerd_AsTheManifestDeclares_ControllerReady_AgentInstallsThePluginAndServesAPod()
    {
        if (!Present())
        {
            return;
        }

        var agent = (await ManifestAsync()).OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var (code, lines) = await RunLabAsync(CtrFlags(agent, agent.Containers.Single()), InitEnvironment(agent));
        foreach (var check in new[]
        {
            "controller image answers /readyz", "controller runs as the image's non-root user 1654", "init container turned IP forwarding on",
            "init container installed romana-aws-cni", "agent image wrote its conflist", "agent's CNI socket is root's only (0600)",
            "agent process has exactly the declared capabilities (CapEff 0000000000003000)", "a pod got an address of the pod network", "the node routes the pod's address",
        })
        {
            Passed(lines, check);
        }

        Assert.DoesNotContain(lines, l => l.StartsWith("==> FAIL", StringComparison.Ordinal));
        Assert.Equal(0, code);
    }

    /// <summary>
    /// The manifest's security context is what the agent needs, no more, no less: without the privileged init container
    /// forwarding stays off (the agent cannot write /proc/sys) and without NET_ADMIN it cannot program the node; each
    /// time it serves nothing and says why.
    /// </summary>
    [Theory]
    [InlineData("no enable-forwarding init container", "IP forwarding is off and cannot be turned on")]
    [InlineData("no NET_ADMIN", "Operation not permitted|Permission denied|permission denied")]
    public async Task AgentImage_WithLessThanTheManifestDeclares_ServesNothing_AndSaysWhy(string without, string error)
    {
        if (!Present())
        {
            return;
        }

        var agent = (await ManifestAsync()).OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var environment = InitEnvironment(agent, forwarding: without != "no enable-forwarding init container");
        environment["IMAGE_LAB_EXPECT_ERROR"] = error;
        var (code, lines) = await RunLabAsync(CtrFlags(agent, agent.Containers.Single(), without == "no NET_ADMIN" ? ["NET_ADMIN"] : null), environment);
        Passed(lines, "without what the manifest declares the agent does not serve, and says why");
        Passed(lines, "and it wrote no conflist");
        Assert.Equal(0, code);
    }

    [GeneratedRegex(@"^FROM \S+ AS (?<name>\S+)$")]
    private static partial Regex FromLine();
}
