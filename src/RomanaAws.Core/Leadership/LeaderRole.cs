namespace RomanaAws.Core.Leadership;

/// <summary>This replica's part: not yet known (starting, or etcd unreachable), the leader, or a hot standby.</summary>
public enum LeaderRole
{
    Unknown,
    Leader,
    Follower,
}
