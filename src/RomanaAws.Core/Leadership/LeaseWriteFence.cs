namespace RomanaAws.Core.Leadership;

/// <summary>
/// The fence of an elected replica: open while <see cref="ILeaderFence.Current"/> holds a token, that is while this
/// replica leads and its lease is certainly valid by its own clock (<see cref="LeaseClock"/>); pinned, only while that
/// token is still the one the pin took (the same leader key create revision: the same term). Reading the token costs a
/// lock, no round trip, so checking before every write is cheap.
/// </summary>
public sealed class LeaseWriteFence : IWriteFence
{
    private readonly ILeaderFence _leader;
    private readonly LeaderToken? _term;

    public LeaseWriteFence(ILeaderFence leader)
        : this(leader, null)
    {
    }

    private LeaseWriteFence(ILeaderFence leader, LeaderToken? term)
    {
        ArgumentNullException.ThrowIfNull(leader);
        _leader = leader;
        _term = term;
    }

    public void EnsureMayWrite() => Check();

    public IWriteFence Pin() => new LeaseWriteFence(_leader, Check());

    private LeaderToken Check()
    {
        var current = _leader.Current ?? throw new NotLeaderException("not written: this replica is not the leader, or its lease may have run out");
        return _term is null || _term == current
            ? current
            : throw new NotLeaderException($"not written: the term this pass began in (leader key created at revision {_term.CreateRevision}) has ended; this replica leads again in a new term (revision {current.CreateRevision}), which starts a new pass");
    }
}
