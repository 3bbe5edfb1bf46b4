using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>The store asks the write fence before every save; every load and save is published for readers.</summary>
public sealed class IpamStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-ipamstore-").FullName;
    private readonly ControllerConfig _config = ControllerConfig.Load(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private TestStore Store() => new(new FileIpamStateStore(Path.Combine(_directory, "state.json")));

    private static void AddHost(IpamStore store) =>
        store.Ipam.AddHost(new HostSpec("i-0a000000000000001", "us-east-1a", "subnet-0a1a1a1a1a1a1a1a1", System.Net.IPAddress.Parse("172.20.32.10")));

    [Fact]
    public async Task Save_FenceClosed_RefusedBeforeTheStore_ChangeStaysUnsavedAndUnpublished()
    {
        var replica = new TestReplica();
        replica.LoseLease();
        var store = Store();
        var ipam = new IpamStore(store, _config.Topology, new LeaseWriteFence(replica));
        await ipam.LoadAsync(CancellationToken.None);
        AddHost(ipam);

        var refused = await Assert.ThrowsAsync<NotLeaderException>(() => ipam.SaveAsync(CancellationToken.None));

        Assert.Contains("not the leader", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Saves);
        Assert.True(ipam.Dirty);
        Assert.Empty(ipam.Published!.Document.Hosts); // readers see what is stored, not the refused change
    }

    [Fact]
    public async Task Save_PinnedToATermThatEnded_Refused_TheCurrentTermSaves()
    {
        var replica = new TestReplica();
        var store = Store();
        var fence = new LeaseWriteFence(replica);
        var ipam = new IpamStore(store, _config.Topology, fence);
        await ipam.LoadAsync(CancellationToken.None);
        var pass = fence.Pin();
        replica.Current = new LeaderToken("/romana-aws/test/leader", 99, "test");
        AddHost(ipam);

        await Assert.ThrowsAsync<NotLeaderException>(() => ipam.SaveAsync(pass, CancellationToken.None));
        Assert.Equal(0, store.Saves);
        Assert.True(await ipam.SaveAsync(CancellationToken.None));

        Assert.Equal(1, store.Saves);
        Assert.False(ipam.Dirty);
        Assert.Equal("i-0a000000000000001", Assert.Single(ipam.Published!.Document.Hosts).InstanceId);
        Assert.Equal(1, ipam.Published.Revision);
    }
}
