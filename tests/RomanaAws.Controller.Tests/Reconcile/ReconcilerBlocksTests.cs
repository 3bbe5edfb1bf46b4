using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Tests.Reconcile;

public sealed class ReconcilerBlocksTests
{
    private const string Host1 = "i-0a000000000000001";

    /// <summary>The file store, with saves that fail on demand (a full or read-only disk).</summary>
    private sealed class FlakyStore(IIpamStateStore inner) : IIpamStateStore
    {
        public bool FailSaves { get; set; }

        public Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken) =>
            FailSaves ? throw new IOException("No space left on device") : inner.SaveAsync(document, expectedRevision, cancellationToken);
    }

    [Fact]
    public async Task ClaimBlock_SaveFails_NoBlockLeftBehind()
    {
        await using var f = await ControllerFixture.StartAsync();
        var store = new FlakyStore(new FileIpamStateStore(f.StatePath));
        using var reconciler = new Reconciler(f.Api, f.Topology, f.Settings, store, TimeProvider.System, NullLoggerFactory.Instance);
        await reconciler.ReconcileAsync(CancellationToken.None);

        store.FailSaves = true;
        await Assert.ThrowsAsync<IOException>(() => reconciler.ClaimBlockAsync(Host1, "default", null, CancellationToken.None));
        store.FailSaves = false;

        // The agent was told the claim failed: the controller must not hold the block for it anyway.
        Assert.Empty((await reconciler.AgentStateAsync(Host1, CancellationToken.None))!.Blocks);
        var claimed = await reconciler.ClaimBlockAsync(Host1, "default", null, CancellationToken.None);
        Assert.Equal("100.96.0.0/28", claimed!.Cidr.ToString());
        Assert.Single((await store.LoadAsync(CancellationToken.None))!.Blocks);
    }
}
