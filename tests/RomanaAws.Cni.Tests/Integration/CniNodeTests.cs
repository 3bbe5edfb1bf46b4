using Microsoft.Extensions.Time.Testing;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;

namespace RomanaAws.Cni.Tests.Integration;

/// <summary>
/// The agent's CNI side as `romana-aws agent --cni-socket` runs it (<see cref="CniNode"/>), over a real host namespace:
/// the checkpoint's blocks serve ADDs before any sync, the conflist appears once it can serve, and a pod whose netns
/// vanished without a DEL has its address reclaimed by the leak sweep after the grace period (the kernel is read
/// back with iproute2 in the host namespace). Skips without root; under CI=true a missing prerequisite fails.
/// </summary>
[Collection(nameof(PluginSpecTests))]
public sealed class CniNodeTests
{
    [Fact]
    public async Task Node_LeakedPod_ReclaimedAfterGrace_AndConflistWrittenOnceReady()
    {
        if (PluginHost.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the CNI node test cannot run: {missing}");
            return;
        }

        await using var host = new PluginHost();
        var checkpoint = Path.Combine(host.Directory, "node-ipam.json");
        new CheckpointFile(checkpoint).Save(new NodeIpamCheckpoint { Attachments = [], Blocks = PluginHost.Blocks });
        var confDir = Path.Combine(host.Directory, "net.d");
        var options = new CniNodeOptions(host.Socket, checkpoint, confDir, "1.0.0", null, "default", TimeSpan.FromSeconds(120));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var kernel = new LinuxKernel(new CommandRunner(host.Netns));
        var sync = new AgentSync(new AgentSource(null, Path.Combine(host.Directory, "no-desired.json"), "i-00000001"), null, kernel, new PolicyOptions(), new HttpClient(), time);
        await using var node = await CniNode.StartAsync(options, kernel, () => sync.Status, time, CancellationToken.None);

        // Served from the checkpoint's blocks before any sync; the conflist comes with the first upkeep.
        var pod = host.NewPod();
        var add = host.Run("ADD", "leaky", pod, host.Config());
        Assert.True(add.ExitCode == 0, add.Output + add.Error);
        Assert.False(File.Exists(Path.Combine(confDir, CniNodeOptions.ConflistName)));
        Assert.Contains($"wrote {Path.Combine(confDir, CniNodeOptions.ConflistName)}: ready for pods", await node.AfterSyncAsync(sync, CancellationToken.None));
        Assert.Contains("\"agentSocket\": \"" + host.Socket + "\"", await File.ReadAllTextAsync(Path.Combine(confDir, CniNodeOptions.ConflistName)), StringComparison.Ordinal);

        // The pod's netns goes without a DEL (a runtime crash): its veth dies with it; after the grace the address is free.
        PluginHost.Sh($"ip netns del {pod}");
        Assert.DoesNotContain(add.HostVeth, PluginHost.Sh($"ip -n {host.Netns} link"), StringComparison.Ordinal);
        Assert.Empty(await node.AfterSyncAsync(sync, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(await node.AfterSyncAsync(sync, CancellationToken.None));
        Assert.NotNull(node.Addresses.Find(new AttachmentKey("leaky", "eth0")));
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Contains("reclaimed the address of leaky/eth0: its netns and host veth are gone (no DEL came)", await node.AfterSyncAsync(sync, CancellationToken.None));
        Assert.Null(node.Addresses.Find(new AttachmentKey("leaky", "eth0")));
        Assert.Empty(new CheckpointFile(checkpoint).Load().Attachments);

        // A live pod is never swept, however long it lives.
        var live = host.Run("ADD", "live", host.NewPod(), host.Config());
        Assert.Equal(add.Address, live.Address);
        time.Advance(TimeSpan.FromHours(1));
        await node.AfterSyncAsync(sync, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        await node.AfterSyncAsync(sync, CancellationToken.None);
        Assert.NotNull(node.Addresses.Find(new AttachmentKey("live", "eth0")));
    }
}
