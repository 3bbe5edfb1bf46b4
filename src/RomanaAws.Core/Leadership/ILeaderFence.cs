namespace RomanaAws.Core.Leadership;

/// <summary>Whether this replica may write now, and the token its state writes compare.</summary>
public interface ILeaderFence
{
    /// <summary>The current term's token while this replica leads and its lease is still certainly valid; null otherwise.</summary>
    LeaderToken? Current { get; }
}
