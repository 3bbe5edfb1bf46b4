using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Persistence;

public sealed class FileIpamStateStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-state-").FullName;

    private string StatePath => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Load_Missing_ReturnsNull()
    {
        Assert.Null(await new FileIpamStateStore(StatePath).LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Save_ThenLoad_RevisionAdvancesAndNoTempFilesRemain()
    {
        var store = new FileIpamStateStore(StatePath);
        var ipam = WithHosts(MakeTopology(), 3);
        Assert.Equal(1, await store.SaveAsync(ipam.ToDocument(), 0, CancellationToken.None));
        ipam.Allocate("ns/p", InstanceId(1), "ns");
        Assert.Equal(2, await store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None));
        var loaded = await store.LoadAsync(CancellationToken.None);
        Assert.Equal(2, loaded!.Revision);
        Assert.Equal(1, CoreIpam.FromDocument(loaded, StatePath).PodCount);
        Assert.Equal(["state.json", "state.json.lock"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Save_StaleRevision_ConflictAndFileUntouched()
    {
        var store = new FileIpamStateStore(StatePath);
        var ipam = WithHosts(MakeTopology(), 2);
        await store.SaveAsync(ipam.ToDocument(), 0, CancellationToken.None);
        await store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None);
        var before = await File.ReadAllBytesAsync(StatePath);
        var ex = await Assert.ThrowsAsync<StateConflictException>(() => store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None));
        Assert.Equal((1, 2), (ex.Expected, ex.Actual));
        Assert.Equal(before, await File.ReadAllBytesAsync(StatePath));
        await Assert.ThrowsAsync<StateConflictException>(() => store.SaveAsync(ipam.ToDocument(), 0, CancellationToken.None));
    }

    [Fact]
    public async Task Load_Corrupted_ClearErrorNamingTheFile_NeverEmpty()
    {
        var store = new FileIpamStateStore(StatePath);
        await store.SaveAsync(WithHosts(MakeTopology(), 2).ToDocument(), 0, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(StatePath);
        await File.WriteAllBytesAsync(StatePath, bytes.AsSpan(0, bytes.Length - 40).ToArray());
        var ex = await Assert.ThrowsAsync<IpamStateException>(() => store.LoadAsync(CancellationToken.None));
        Assert.Contains(StatePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt or truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_WhileAnotherWriterHoldsTheLock_ZeroTimeout_ConflictAtOnce()
    {
        var store = new FileIpamStateStore(StatePath, TimeSpan.Zero, TimeProvider.System);
        await using var held = new FileStream(StatePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var ex = await Assert.ThrowsAsync<StateConflictException>(() => store.SaveAsync(WithHosts(MakeTopology(), 1).ToDocument(), 0, CancellationToken.None));
        Assert.Contains("gave up waiting for the writer lock", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(StatePath));
    }
}
