namespace RomanaAws.Core.Leadership;

/// <summary>
/// How long a leader may still act on its lease, by its own monotonic clock. A renewal counts from when its request
/// was <em>sent</em> (etcd starts the TTL later, when it receives it), less a safety margin, so the leader stops
/// believing it leads before etcd can have expired the lease and let another replica take over. Pure: timestamps in,
/// answers out. A process paused (SIGSTOP, a long GC) past the deadline finds it passed when it resumes.
/// </summary>
public sealed class LeaseClock
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private long? _deadline;

    public LeaseClock(TimeProvider time, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(margin, TimeSpan.Zero);
        _time = time;
        _margin = margin;
    }

    /// <summary>A renewal that was sent at <paramref name="sentAt"/> (a <see cref="TimeProvider.GetTimestamp"/>) was granted <paramref name="ttl"/>.</summary>
    public void Renewed(long sentAt, TimeSpan ttl)
    {
        var until = sentAt + (long)((ttl - _margin).TotalSeconds * _time.TimestampFrequency);
        if (_deadline is not { } known || until > known)
        {
            _deadline = until;
        }
    }

    /// <summary>The lease is gone (revoked, expired, or refused): invalid at once.</summary>
    public void Lost() => _deadline = null;

    public bool Valid => _deadline is { } deadline && _time.GetTimestamp() < deadline;

    /// <summary>Time left before this replica must stop acting as leader (zero when invalid).</summary>
    public TimeSpan Remaining => _deadline is { } deadline && _time.GetTimestamp() < deadline
        ? TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency)
        : TimeSpan.Zero;
}
