using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Replication;

/// <summary>
/// This controller replica's part in the cluster of replicas: whether it leads now (and may write EC2 routes and
/// state), the current term (cancelled when it ends), and where the leader is (standbys forward block claims there).
/// </summary>
public interface IReplica : ILeaderFence
{
    LeaderRole Role { get; }

    /// <summary>Cancelled when this replica's term ends (already cancelled while it does not lead).</summary>
    CancellationToken Term { get; }

    /// <summary>The leader's API address, when known and it is another replica.</summary>
    Uri? LeaderUrl { get; }

    /// <summary>The leader's identity, when known.</summary>
    string? LeaderId { get; }

    event Action<LeaderRole>? RoleChanged;
}
