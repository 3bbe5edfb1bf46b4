namespace RomanaAws.Agent.Ipam;

/// <summary>
/// Finds leaked addresses: attachments whose container is gone (no netns, no host veth) yet were never DELeted — a
/// runtime that crashed, or a DEL that could not reach the agent. Pure: an attachment is due once it has been seen
/// gone for <paramref name="grace"/> (an ADD in flight is alive: its netns exists), and is forgotten when it returns.
/// </summary>
public sealed class LeakSweep(TimeSpan grace)
{
    private readonly Dictionary<AttachmentKey, DateTimeOffset> _goneSince = [];

    public TimeSpan Grace => grace;

    public IReadOnlyList<AttachmentKey> Due(IEnumerable<PodAttachment> attachments, Func<PodAttachment, bool> isAlive, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        ArgumentNullException.ThrowIfNull(isAlive);
        var seen = new HashSet<AttachmentKey>();
        var due = new List<AttachmentKey>();
        foreach (var attachment in attachments)
        {
            seen.Add(attachment.Key);
            if (isAlive(attachment))
            {
                _goneSince.Remove(attachment.Key);
            }
            else if (!_goneSince.TryGetValue(attachment.Key, out var since))
            {
                _goneSince[attachment.Key] = now;
            }
            else if (now - since >= grace)
            {
                due.Add(attachment.Key);
            }
        }

        foreach (var key in _goneSince.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _goneSince.Remove(key);
        }

        return due;
    }
}
