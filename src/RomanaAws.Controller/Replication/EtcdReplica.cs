using RomanaAws.Core.Leadership;
using RomanaAws.Etcd;

namespace RomanaAws.Controller.Replication;

/// <summary>A replica among several, elected on etcd (<see cref="LeaderElection"/>).</summary>
public sealed class EtcdReplica(LeaderElection election, string id) : IReplica
{
    public LeaderRole Role => election.Current is not null ? LeaderRole.Leader : election.Role == LeaderRole.Leader ? LeaderRole.Unknown : election.Role;

    public CancellationToken Term => election.Term;

    public LeaderToken? Current => election.Current;

    public Uri? LeaderUrl => LeaderHolder.Parse(election.Leader) is { } holder && holder.Id != id && Uri.TryCreate(holder.Url, UriKind.Absolute, out var url) ? url : null;

    public string? LeaderId => LeaderHolder.Parse(election.Leader)?.Id;

    public event Action<LeaderRole>? RoleChanged
    {
        add => election.RoleChanged += value;
        remove => election.RoleChanged -= value;
    }
}
