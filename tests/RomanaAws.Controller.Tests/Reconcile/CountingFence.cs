using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>A write fence the test closes, counting the checks it allowed and refused (its own pin).</summary>
internal sealed class CountingFence : IWriteFence
{
    private int _allowed;
    private int _refused;
    private volatile bool _closed;

    public int Allowed => Volatile.Read(ref _allowed);

    public int Refused => Volatile.Read(ref _refused);

    public void Close() => _closed = true;

    public void EnsureMayWrite()
    {
        if (_closed)
        {
            Interlocked.Increment(ref _refused);
            throw new NotLeaderException("test: the fence is closed");
        }

        Interlocked.Increment(ref _allowed);
    }

    public IWriteFence Pin() => this;
}
