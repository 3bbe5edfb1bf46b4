namespace RomanaAws.Core.Persistence;

/// <summary>
/// Where IPAM state lives. Optimistic concurrency: a save names the revision it was based on; if the store has
/// moved on, the save fails with <see cref="StateConflictException"/> instead of overwriting.
/// </summary>
public interface IIpamStateStore
{
    /// <summary>The stored state, or null when none has been saved yet.</summary>
    Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="document"/> if the stored revision is <paramref name="expectedRevision"/> (0 = nothing stored yet); returns the new revision.</summary>
    Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken);
}
