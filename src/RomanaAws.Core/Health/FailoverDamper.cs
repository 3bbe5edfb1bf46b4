using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Health;

/// <summary>
/// Flap damping per group: a route whose target is questionable (not failed) is moved only when its last move is
/// at least <see cref="HoldTime"/> old; and no group moves more than <see cref="MaxFailovers"/> times in
/// <see cref="Window"/> (past that it stays, and a human looks). A failed target is moved at once, within the cap.
/// Time comes in with each question; no clock inside.
/// </summary>
public sealed class FailoverDamper(TimeSpan holdTime, int maxFailovers, TimeSpan window)
{
    private readonly Dictionary<GroupKey, List<DateTimeOffset>> _moves = [];

    public TimeSpan HoldTime { get; } = holdTime;

    public int MaxFailovers { get; } = maxFailovers;

    public TimeSpan Window { get; } = window;

    public bool MayMove(GroupKey group, TargetHealth currentTargetHealth, DateTimeOffset now)
    {
        var recent = Recent(group, now);
        if (recent.Count >= MaxFailovers)
        {
            return false;
        }

        return currentTargetHealth == TargetHealth.Failed || recent.Count == 0 || now - recent[^1] >= HoldTime;
    }

    public void Record(GroupKey group, DateTimeOffset now)
    {
        if (!_moves.TryGetValue(group, out var list))
        {
            _moves[group] = list = [];
        }

        list.Add(now);
    }

    /// <summary>Groups at their failover cap right now.</summary>
    public IReadOnlyList<GroupKey> Capped(DateTimeOffset now) => _moves.Keys.Where(k => Recent(k, now).Count >= MaxFailovers).ToList();

    private List<DateTimeOffset> Recent(GroupKey group, DateTimeOffset now)
    {
        if (!_moves.TryGetValue(group, out var list))
        {
            return [];
        }

        list.RemoveAll(t => now - t > Window);
        return list;
    }
}
