using System.Globalization;

namespace RomanaAws.Lab.Scenarios;

/// <summary>
/// Reads the router follower's log (pure): each applied change logs how long after the simulator's last write it was
/// in the kernel ("… applied 3 router change(s), 41 ms after the simulator's write"); those are the mirroring delays.
/// </summary>
public static class MirrorLog
{
    public const string Marker = " ms after the simulator's write";

    public static IReadOnlyList<double> Delays(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return [.. lines.Where(l => l.EndsWith(Marker, StringComparison.Ordinal))
            .Select(l => l[..^Marker.Length]).Select(l => l[(l.LastIndexOf(' ') + 1)..])
            .Select(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN).Where(ms => !double.IsNaN(ms))];
    }
}
