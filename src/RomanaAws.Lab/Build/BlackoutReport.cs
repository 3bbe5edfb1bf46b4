namespace RomanaAws.Lab.Build;

/// <summary>
/// A steady ping stream through a failover, read back: how many probes were sent and answered, the blackout (first
/// lost to first answered again, in probe intervals), whether traffic came back before the stream ended, and probes
/// lost after it came back.
/// </summary>
public sealed record BlackoutReport(int Sent, int Answered, TimeSpan Blackout, int LostAfterRecovery, bool Recovered)
{
    /// <summary>From the icmp_seq numbers that were answered (pure): the blackout is the longest run of missing ones.</summary>
    public static BlackoutReport From(int sent, IReadOnlyCollection<int> answered, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(answered);
        var got = answered.ToHashSet();
        int longest = 0, longestEnd = -1, run = 0;
        for (var seq = 1; seq <= sent; seq++)
        {
            run = got.Contains(seq) ? 0 : run + 1;
            if (run > longest)
            {
                longest = run;
                longestEnd = seq;
            }
        }

        var lostAfter = longestEnd < 0 ? 0 : Enumerable.Range(longestEnd + 1, Math.Max(0, sent - longestEnd)).Count(s => !got.Contains(s));
        return new BlackoutReport(sent, got.Count(s => s >= 1 && s <= sent), interval * longest, lostAfter, longestEnd < sent);
    }
}
