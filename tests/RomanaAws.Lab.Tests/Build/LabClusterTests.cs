using System.Diagnostics;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Lab.Tests.Build;

/// <summary>
/// The whole product in network namespaces (<c>romana-aws lab up</c>, as a user runs it): the shipped 3-zone scenario,
/// the controller writing routes into the simulator, the router namespace following them, real agents, pods from the
/// real CNI plugin. Every pod must reach every other pod across zones, and one failover per path must bring traffic
/// back with nothing lost after the switch. Bounded in time; removes everything after. Skips without root; under
/// CI=true a missing prerequisite fails.
/// </summary>
public sealed class LabClusterTests
{
    [Fact]
    public async Task LabUp_Sim3Zone_FullMatrixAndTrafficBackAfterFailoverOnBothPaths()
    {
        var root = Repo.Root;
        var cli = Path.Combine(root, "src", "RomanaAws.Cli", "bin", "Release", "net10.0", "romana-aws");
        var plugin = Environment.GetEnvironmentVariable("ROMANA_CNI_PLUGIN") is { Length: > 0 } p ? p : Path.Combine(root, "artifacts", "cni", "romana-aws-cni");
        var missing = !OperatingSystem.IsLinux() || Environment.UserName != "root" ? "needs Linux and root"
            : !File.Exists(cli) ? $"no CLI build at {cli}"
            : !File.Exists(plugin) ? $"no plugin at {plugin} (scripts/publish-cni.sh)"
            : null;
        if (missing is not null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the lab cannot run: {missing}");
            return;
        }

        using var lab = Process.Start(new ProcessStartInfo(cli, ["lab", "up", "--pods-per-node", "1", "--plugin", plugin, "--failover", "1"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = lab.StandardOutput.ReadToEndAsync();
        var error = await lab.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await lab.WaitForExitAsync(timeout.Token);
        var text = await output;
        var trials = text.Split('\n').Where(l => l.StartsWith("failover (", StringComparison.Ordinal)).ToList();
        Assert.True(lab.ExitCode == 0, $"lab up exited {lab.ExitCode}:\n{text}\n{error}");
        Assert.Matches(@"reachability: (\d+) of \1 pod pairs answer ping across 3 zone\(s\)", text);
        Assert.Contains("failover EC2 path: blackout p50", text, StringComparison.Ordinal);
        Assert.Contains("failover probe path: blackout p50", text, StringComparison.Ordinal);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.EndsWith(", 0 lost after recovery", t.TrimEnd(), StringComparison.Ordinal));
        Assert.All(trials, t => Assert.DoesNotContain("NOT recovered", t, StringComparison.Ordinal));
        Assert.DoesNotContain("rlab-", (await Repo.RunAsync("ip", "netns", "list")).Output, StringComparison.Ordinal);
    }
}
