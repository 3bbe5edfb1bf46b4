using System.Diagnostics;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Cni.Tests.Integration;

/// <summary>
/// End to end through a real container runtime: scripts/cni-lab/lab.sh starts two containerd nodes (Debian's
/// containerd 1.6 + runc), each in its own network and mount namespace with its own romana-aws agent, and starts
/// busybox containers with containerd's own CNI integration (<c>ctr run --cni</c>), which executes romana-aws-cni from
/// the conflist the agent wrote. Every check the lab makes must pass; the list below pins them so none can vanish.
/// Skips without root; under CI=true a missing prerequisite fails.
/// </summary>
[Collection(nameof(PluginSpecTests))]
public sealed class ContainerdLabTests
{
    private static readonly string[] Checks =
    [
        "a (n1) pings c (n2) across nodes",
        "a (n1) pings b on its own node",
        "a (n1) fetches c's httpd directly",
        "portmap: a (n1) reaches c via node n2 hostPort",
        "the IPAM recorded a's address",
        "deleting a (ctr ran CNI DEL) freed",
        "deleting a removed its host route",
        "a deleted container's address is free again",
        "deleting c removed its portmap DNAT chain",
        "after kill -9 of the agent, e got",
        "after kill -9 the checkpoint still holds a2 and b",
        "a2 (started before the kill) still pings b",
        "100 concurrent ctr run --cni on n1: all got an address",
        "100 concurrent: all addresses distinct",
        "100 concurrent: one host route per pod on n1",
    ];

    [Fact]
    public async Task Lab_TwoContainerdNodes_EveryCheckPasses()
    {
        var missing = PluginHost.Missing() ?? (new[] { "containerd", "ctr", "runc" }.Any(t => !File.Exists($"/usr/bin/{t}") && !File.Exists($"/usr/sbin/{t}")) ? "containerd/runc are not installed (scripts/test.sh installs them as root)" : null);
        if (missing is not null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the containerd lab cannot run: {missing}");
            return;
        }

        var info = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "cni-lab", "lab.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ROMANA_CNI_PLUGIN"] = PluginHost.Plugin;
        using var lab = Process.Start(info)!;
        var output = lab.StandardOutput.ReadToEndAsync();
        var log = await lab.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await lab.WaitForExitAsync(timeout.Token);
        var lines = (log + await output).Split('\n');
        foreach (var check in Checks)
        {
            Assert.True(lines.Any(l => l.StartsWith("==> PASS " + check, StringComparison.Ordinal)), $"lab check '{check}' did not pass (lab.sh exit {lab.ExitCode}):\n{string.Join('\n', lines.Where(l => l.StartsWith("==> ", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal)))}\n--- last lines:\n{string.Join('\n', lines.TakeLast(15))}");
        }

        Assert.True(lab.ExitCode == 0, $"lab.sh exited {lab.ExitCode}:\n{log}");
    }
}
