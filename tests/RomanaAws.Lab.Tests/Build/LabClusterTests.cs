using System.Diagnostics;
using RomanaAws.Lab.Build;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Lab.Tests.Build;

/// <summary>
/// The whole product in network namespaces (<c>romana-aws lab up</c>, as a user runs it): the shipped 3-zone scenario,
/// the controller writing routes into the simulator, the router namespace following them, real agents, a containerd
/// per worker running the pods' containers, addresses from the real CNI plugin. Every pod must reach every other pod
/// across zones over TCP and UDP; one failover per path must bring traffic back with nothing lost after the switch;
/// the policy set must turn the matrix into exactly what it means (and back when removed); a node added to a group
/// while traffic flows must add no VPC route and lose nothing. The lab is kept (--keep: processes stopped, pods and
/// namespaces left, as after a crash), poked with <c>lab exec</c>, then removed by <c>lab down</c>, which must leave no
/// namespace, process or mount. Bounded in time. Skips without root; under CI=true a missing prerequisite fails.
/// </summary>
public sealed class LabClusterTests
{
    /// <summary>
    /// A subnet's bridge keeps its address when a port with a lower one joins (a node added to the subnet): otherwise
    /// the gateway's MAC changes under every node's ARP entry and the subnet's replies are lost for seconds.
    /// </summary>
    [Fact]
    public void RouterBridge_KeepsItsAddress_WhenAPortWithALowerAddressJoins()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI=true but this needs Linux and root");
            return;
        }

        var state = new RomanaAws.Lab.Router.RouterState([new("subnet-1", "us-east-1a", "172.31.250.0/24", "s0", "172.31.250.1", 24)], [], new Dictionary<string, bool>());
        RouterNamespace.Create(state);
        try
        {
            var ns = LabNames.RouterNamespace;
            string Address() => Shell.Run("ip", "-n", ns, "-br", "link", "show", "s0").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
            var before = Address();
            Shell.Run("ip", "-n", ns, "link", "add", "ptest", "address", "00:00:00:00:00:01", "type", "veth", "peer", "name", "ptest-peer");
            Shell.Run("ip", "-n", ns, "link", "set", "ptest", "master", "s0", "up");

            Assert.Equal(RouterNamespace.BridgeAddress(0), before);
            Assert.Equal(before, Address());
        }
        finally
        {
            Shell.TryRun("ip", "netns", "del", LabNames.RouterNamespace);
        }
    }

    [Fact]
    public async Task LabUp_Sim3Zone_MatrixFailoverPolicyAndGrowth()
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

        var text = "";
        try
        {
            using var lab = Process.Start(new ProcessStartInfo(cli, ["lab", "up", "--pods-per-node", "1", "--plugin", plugin, "--failover", "1", "--policy", "--grow", "1", "--keep"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = lab.StandardOutput.ReadToEndAsync();
            var error = await lab.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await lab.WaitForExitAsync(timeout.Token);
            text = await output;
            var trials = text.Split('\n').Where(l => l.StartsWith("failover (", StringComparison.Ordinal)).ToList();
            Assert.True(lab.ExitCode == 0, $"lab up exited {lab.ExitCode}:\n{text}\n{error}");
            // 9 workers (the scenario's stopped one started), one pod each: 72 ordered pairs, each over TCP and UDP.
            Assert.Contains("containerd on each of 9 worker(s)", text, StringComparison.Ordinal);
            // What it built: each zone's nodes with their pods, and every private table's group routes with their target nodes.
            Assert.Matches(@"\n  us-east-1c subnet-0c1c1c1c1c1c1c1c1 172\.20\.96\.0/19: .*i-0c000000000000003 nodes-us-east-1c 172\.20\.96\.13 \(1 pod\(s\)\)", text);
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(text, @"\n  rtb-0[abc]{1}[0-9a-f]+ \(table \d+\): 100\.\d+\.0\.0/15 → i-"));
            Assert.Contains("reachability: 144 of 144 probes answer (TCP 72/72, UDP 72/72) between 9 pods across 3 zone(s) (complete at", text, StringComparison.Ordinal);
            Assert.Matches(@"policy: in every node's kernel [\d.]+ s after the agents were given it; the matrix is exactly the policies' \(probed at [\d.]+ s\): 87 of 144 cells allowed, 0 allowed but unanswered, 0 answered but denied", text);
            Assert.Matches(@"policy removed: gone from every kernel after [\d.]+ s; full matrix again", text);
            Assert.Matches(@"growth: 1 node\(s\) joined the group of .* VPC routes (\d+) before, \1 after \(0 new, 0 gone\); (\d+)/\2 answered, 0 lost; new pods answer", text);
            Assert.Matches(@"mirroring: \d+ route change\(s\) of the simulator in the router's kernel tables, delay p50 \d+ ms", text);
            Assert.Contains("failover EC2 path: blackout p50", text, StringComparison.Ordinal);
            Assert.Contains("failover probe path: blackout p50", text, StringComparison.Ordinal);
            Assert.Equal(2, trials.Count);
            Assert.All(trials, t => Assert.EndsWith(", 0 lost after recovery", t.TrimEnd(), StringComparison.Ordinal));
            Assert.All(trials, t => Assert.DoesNotContain("NOT recovered", t, StringComparison.Ordinal));

            // Kept: the pods' containers still serve, across zones, on the routes left in the kernels.
            var target = System.Text.RegularExpressions.Regex.Match(text, @"i-0b000000000000001-p0=([\d.]+)").Groups[1].Value;
            var poke = await Repo.RunAsync(cli, "lab", "exec", "rlab-i-0a000000000000002-p0", "--", "nc", "-w", "2", target, "8080");
            Assert.True(poke.ExitCode == 0 && poke.Output.Trim() == "rlab-i-0b000000000000001-p0", $"lab exec: {poke.ExitCode} '{poke.Output}' {poke.Error}");
        }
        finally
        {
            var down = await Repo.RunAsync(cli, "lab", "down");
            Assert.True(down.ExitCode == 0, $"lab down: {down.Output} {down.Error}\n{text}");
        }

        Assert.DoesNotContain("rlab-", (await Repo.RunAsync("ip", "netns", "list")).Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" /run/rlab", await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.False(Directory.Exists("/run/containerd/runc/rlab"), "runc's state of the lab's containers was left");
        // Nothing of it still runs: no containerd, runc shim or pod container (their command lines name /run/rlab or the pods).
        var left = Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } })
            .Where(c => c.Contains("/run/rlab", StringComparison.Ordinal) || c.Contains("pod-echo", StringComparison.Ordinal)).ToList();
        Assert.True(left.Count == 0, "left running: " + string.Join(" | ", left));
    }
}
