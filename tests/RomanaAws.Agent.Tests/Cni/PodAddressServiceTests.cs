using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Cni;

public sealed class PodAddressServiceTests : IDisposable
{
    private static readonly OwnedBlock A = new(Cidr.Parse("100.96.0.0/30"), "default");
    private static readonly OwnedBlock B = new(Cidr.Parse("100.96.0.4/30"), "web");
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-pods-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private CheckpointFile Checkpoint => new(Path.Combine(_directory, "ipam.json"));

    private static AttachmentKey Key(string container) => new(container, "eth0");

    private static string[] Containers(IEnumerable<PodAttachment> attachments) => attachments.Select(a => a.Key.ContainerId).Order(StringComparer.Ordinal).ToArray();

    private PodAddressService WithPods(params string[] containers)
    {
        var service = new PodAddressService(Checkpoint, [A, B], _ => true);
        foreach (var container in containers)
        {
            Assert.True(service.Add(Key(container), new AddressPool("default"), $"/run/netns/{container}").Succeeded);
        }

        return service;
    }

    [Fact]
    public void KeepOnly_ReleasesExactlyTheOthers_AndPersists()
    {
        var service = WithPods("c1", "c2", "c3");
        var released = service.KeepOnly(new HashSet<AttachmentKey> { Key("c2"), Key("not-held") });
        Assert.Equal([Key("c1"), Key("c3")], released.OrderBy(k => k.ContainerId, StringComparer.Ordinal));
        Assert.Equal(["c2"], Containers(service.Attachments()));
        Assert.Equal(["c2"], Containers(Checkpoint.Load().Attachments));

        // The freed addresses are free again: the block (4 addresses) serves 3 more.
        Assert.All(new[] { "d1", "d2", "d3" }, c => Assert.True(service.Add(Key(c), new AddressPool("default"), null).Succeeded));
        Assert.False(service.Add(Key("d4"), new AddressPool("default"), null).Succeeded);
    }

    [Fact]
    public void KeepOnly_AllValid_NothingReleasedNothingWritten()
    {
        var service = WithPods("c1");
        File.Delete(Checkpoint.Path);
        Assert.Empty(service.KeepOnly(new HashSet<AttachmentKey> { Key("c1") }));
        Assert.False(File.Exists(Checkpoint.Path));
    }

    [Fact]
    public void KeepOnly_EmptySet_ReleasesEverything()
    {
        var service = WithPods("c1", "c2");
        Assert.Equal(2, service.KeepOnly(new HashSet<AttachmentKey>()).Count);
        Assert.Empty(Checkpoint.Load().Attachments);
        Assert.Equal((8, 2), service.Capacity());
    }

    [Fact]
    public void Sweep_ReleasesOnlyAfterGrace_AndPersists()
    {
        var service = WithPods("alive", "gone");
        var sweep = new LeakSweep(TimeSpan.FromMinutes(2));
        bool IsAlive(PodAttachment a) => a.Key.ContainerId == "alive";

        Assert.Empty(service.Sweep(sweep, IsAlive, T0));
        Assert.Empty(service.Sweep(sweep, IsAlive, T0 + TimeSpan.FromSeconds(119)));
        Assert.Equal(["alive", "gone"], Containers(Checkpoint.Load().Attachments));

        Assert.Equal([Key("gone")], service.Sweep(sweep, IsAlive, T0 + TimeSpan.FromMinutes(2)));
        Assert.Equal(["alive"], Containers(service.Attachments()));
        Assert.Equal(["alive"], Containers(Checkpoint.Load().Attachments));
        Assert.Empty(service.Sweep(sweep, IsAlive, T0 + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void SetBlocks_PersistsTheBlockList_OnlyWhenItChanges()
    {
        var service = new PodAddressService(Checkpoint, [], _ => true);
        Assert.Empty(Checkpoint.Load().Blocks);
        service.SetBlocks([B, A]);
        Assert.Equal([A, B], Checkpoint.Load().Blocks);

        File.Delete(Checkpoint.Path);
        service.SetBlocks([A, B]);
        Assert.False(File.Exists(Checkpoint.Path));

        service.SetBlocks([A]);
        Assert.Equal([A], Checkpoint.Load().Blocks);
    }

    [Fact]
    public void Restart_NoBlocksGiven_ServesAddsFromTheCheckpointsBlocks()
    {
        var first = new PodAddressService(Checkpoint, [], _ => true);
        first.SetBlocks([A, B]);
        var held = first.Add(Key("c1"), new AddressPool("default"), null).Attachment!;

        var restarted = new PodAddressService(Checkpoint, [], _ => true);
        Assert.Empty(restarted.Dropped);
        Assert.Equal(held, restarted.Find(Key("c1")));
        var web = restarted.Add(Key("w1"), new AddressPool("web"), null);
        Assert.True(web.Succeeded, web.Problem);
        Assert.True(B.Cidr.Contains(web.Attachment!.Address));
        var next = restarted.Add(Key("c2"), new AddressPool("default"), null).Attachment!;
        Assert.True(A.Cidr.Contains(next.Address));
        Assert.NotEqual(held.Address, next.Address);
        Assert.Equal([A, B], Checkpoint.Load().Blocks);
    }

    [Fact]
    public void Restart_BlocksGiven_TheyWinOverTheCheckpoints()
    {
        _ = new PodAddressService(Checkpoint, [A, B], _ => true);
        Assert.Equal([A, B], Checkpoint.Load().Blocks);
        var restarted = new PodAddressService(Checkpoint, [A], _ => true);
        Assert.Equal([A], Checkpoint.Load().Blocks);
        Assert.False(restarted.Add(Key("w1"), new AddressPool("web"), null).Succeeded);
    }

    [Fact]
    public void Capacity_CountsFreeAddressesAndUsableBlocks()
    {
        var service = new PodAddressService(Checkpoint, [], _ => true);
        Assert.Equal((0, 0), service.Capacity());
        service.SetBlocks([A, B]);
        Assert.Equal((8, 2), service.Capacity());
        Assert.True(service.Add(Key("c1"), new AddressPool("default"), null).Succeeded);
        Assert.True(service.Add(Key("w1"), new AddressPool("web"), null).Succeeded);
        Assert.Equal((6, 2), service.Capacity());

        // A leaves the desired state while c1 holds an address in it: retired, not counted.
        service.SetBlocks([B]);
        Assert.Equal((3, 1), service.Capacity());
        Assert.True(service.Delete(Key("c1")));
        Assert.Equal((3, 1), service.Capacity());
        Assert.False(service.Delete(Key("c1")));
    }
}
