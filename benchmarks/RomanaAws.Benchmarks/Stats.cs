namespace RomanaAws.Benchmarks;

/// <summary>The summaries the measured runs print: median and nearest-rank percentiles.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Nearest-rank percentile of already sorted values, <paramref name="q"/> from 0 to 1 (with 20 values, p99 is the largest).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
