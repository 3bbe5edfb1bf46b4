namespace RomanaAws.Core.Leadership;

/// <summary>
/// Whether this replica may write now: asked immediately before every mutating EC2 call (<c>RouteApplier</c>) and every
/// state save (<c>IpamStore</c>), so a paused or partitioned old leader stops writing the moment its lease is no longer
/// certainly valid, without waiting for its pass to notice the term's cancellation.
/// </summary>
public interface IWriteFence
{
    /// <summary>Throws <see cref="NotLeaderException"/> unless this replica may write now.</summary>
    void EnsureMayWrite();

    /// <summary>
    /// This fence narrowed to the term current now (a pass pins it when it starts): it refuses from the moment that
    /// term ends, even when a later term of this same replica has begun, so a replica that lost and regained the lease
    /// mid-pass does not carry on with the old pass's plan. Throws <see cref="NotLeaderException"/> when there is no term.
    /// </summary>
    IWriteFence Pin();
}
