namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// At most one event per (node, reason) per window while a failure lasts, as client-go's event spam filter keeps a
/// failing route from writing an event every pass. Pure (the caller passes the time); one caller at a time.
/// </summary>
public sealed class EventThrottle(TimeSpan window)
{
    private readonly Dictionary<(string Uid, string Reason), DateTimeOffset> _last = [];

    public bool Allow(NodeEvent nodeEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nodeEvent);
        var key = (nodeEvent.NodeUid, nodeEvent.Reason);
        if (_last.TryGetValue(key, out var last) && now - last < window)
        {
            return false;
        }

        foreach (var stale in _last.Where(e => now - e.Value >= window).Select(e => e.Key).ToList())
        {
            _last.Remove(stale);
        }

        _last[key] = now;
        return true;
    }
}
