using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Replication;

/// <summary>The file backend's one replica: always the leader, one term for the life of the process, no fence.</summary>
public sealed class SingleReplica : IReplica
{
    public LeaderRole Role => LeaderRole.Leader;

    public CancellationToken Term => CancellationToken.None;

    public Uri? LeaderUrl => null;

    public string? LeaderId => null;

    /// <summary>Null: the file store's own revision check and lock are the only guard (one writer).</summary>
    public LeaderToken? Current => null;

    public event Action<LeaderRole>? RoleChanged
    {
        add { }
        remove { }
    }
}
