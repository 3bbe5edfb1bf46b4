using RomanaAws.Controller.Replication;
using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>
/// A replica whose lease the test controls: it leads while <see cref="Current"/> holds a token. Ending the lease here
/// does not cancel <see cref="Term"/>, so what stops a pass is the write fence alone.
/// </summary>
internal sealed class TestReplica : IReplica
{
    private LeaderToken? _current = new("/romana-aws/test/leader", 7, "test");

    public LeaderToken? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public LeaderRole Role => Current is null ? LeaderRole.Follower : LeaderRole.Leader;

    public CancellationToken Term => CancellationToken.None;

    public Uri? LeaderUrl => null;

    public string? LeaderId => null;

    public event Action<LeaderRole>? RoleChanged
    {
        add { }
        remove { }
    }

    /// <summary>The lease ran out: no token until the test gives one again.</summary>
    public void LoseLease() => Current = null;
}
