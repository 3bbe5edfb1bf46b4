using System.Text;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;

namespace RomanaAws.Core.Tests.Persistence;

/// <summary>Waiting for the writer lock: bounded, and the error says how long it waited and who holds it.</summary>
public sealed class FileIpamStateStoreLockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-state-").FullName;

    private string StatePath => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<FileStream> HoldLockAsync(string lockPath, string holder)
    {
        var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        await held.WriteAsync(Encoding.UTF8.GetBytes(holder));
        await held.FlushAsync();
        return held;
    }

    /// <summary>Moves fake time on in small steps until <paramref name="task"/> is done (bounded: 100 s of fake time).</summary>
    private static async Task AdvanceUntilDoneAsync(FakeTimeProvider time, Task task)
    {
        for (var i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Save_LockHeldPastTheTimeout_ErrorSaysHowLongItWaitedAndWhoHoldsIt()
    {
        var time = new FakeTimeProvider();
        var store = new FileIpamStateStore(StatePath, TimeSpan.FromSeconds(2), time);
        await using var held = await HoldLockAsync(StatePath + ".lock", "pid 4242 (romana-aws)\n");
        var save = store.SaveAsync(WithHosts(MakeTopology(), 1).ToDocument(), 0, CancellationToken.None);
        await AdvanceUntilDoneAsync(time, save);

        var ex = await Assert.ThrowsAsync<StateConflictException>(() => save);
        Assert.Matches(@"^.*: gave up waiting for the writer lock .*state\.json\.lock after 2\.\d s \(lock timeout 2 s\); it is held by pid 4242 \(romana-aws\); retry when that writer is done, or give a longer --lock-timeout$", ex.Message);
        Assert.StartsWith(StatePath, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(StatePath));
    }

    [Fact]
    public async Task Save_LockReleasedWhileWaiting_Succeeds()
    {
        var time = new FakeTimeProvider();
        var store = new FileIpamStateStore(StatePath, TimeSpan.FromSeconds(10), time);
        var held = await HoldLockAsync(StatePath + ".lock", "pid 1");
        var save = store.SaveAsync(WithHosts(MakeTopology(), 1).ToDocument(), 0, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(save.IsCompleted);
        await held.DisposeAsync();
        await AdvanceUntilDoneAsync(time, save);

        Assert.Equal(1, await save);
        Assert.Contains($"pid {Environment.ProcessId}", await File.ReadAllTextAsync(StatePath + ".lock"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_ConcurrentWritersWithRetry_AllSucceedAndNoUpdateIsLost()
    {
        var initial = WithHosts(MakeTopology(), 2);
        await new FileIpamStateStore(StatePath).SaveAsync(initial.ToDocument(), 0, CancellationToken.None);
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var n = 0; n < 5; n++)
            {
                var store = new FileIpamStateStore(StatePath);
                while (true)
                {
                    var document = (await store.LoadAsync(CancellationToken.None))!;
                    var ipam = RomanaAws.Core.Ipam.Ipam.FromDocument(document, StatePath);
                    ipam.Allocate($"ns/w{w}-{n}", InstanceId(1), "ns");
                    try
                    {
                        await store.SaveAsync(ipam.ToDocument(), document.Revision, CancellationToken.None);
                        break;
                    }
                    catch (StateConflictException ex) when (ex.Actual > 0)
                    {
                    }
                }
            }
        }));
        await Task.WhenAll(writers);
        var final = (await new FileIpamStateStore(StatePath).LoadAsync(CancellationToken.None))!;
        Assert.Equal(31, final.Revision);
        Assert.Equal(30, RomanaAws.Core.Ipam.Ipam.FromDocument(final, StatePath).PodCount);
    }
}
