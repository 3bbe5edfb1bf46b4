using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>A state store around another that counts saves and can hold loads (on a TaskCompletionSource) until released.</summary>
internal sealed class TestStore(IIpamStateStore inner) : IIpamStateStore
{
    private int _saves;

    public int Saves => Volatile.Read(ref _saves);

    /// <summary>While set, every load waits for it (and <see cref="LoadHeld"/> says one is waiting).</summary>
    public TaskCompletionSource? HoldLoads { get; set; }

    public TaskCompletionSource LoadHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        if (HoldLoads is { } hold)
        {
            LoadHeld.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }

        return await inner.LoadAsync(cancellationToken);
    }

    public Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _saves);
        return inner.SaveAsync(document, expectedRevision, cancellationToken);
    }
}
