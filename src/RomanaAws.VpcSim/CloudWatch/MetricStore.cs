using System.Globalization;

namespace RomanaAws.VpcSim.CloudWatch;

/// <summary>Published datapoints and metric alarms, with simple alarm evaluation over the most recent periods.</summary>
internal sealed class MetricStore
{
    private readonly List<MetricDatum> _data = [];

    public Dictionary<string, MetricAlarm> Alarms { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<MetricDatum> Data => _data;

    public void Add(MetricDatum datum) => _data.Add(datum);

    public void Clear()
    {
        _data.Clear();
        Alarms.Clear();
    }

    public IEnumerable<MetricKey> Metrics => _data.Select(d => d.Key).Distinct();

    /// <summary>Datapoints of one metric in [start, end), aggregated per period.</summary>
    public IEnumerable<(DateTimeOffset Start, double SampleCount, double Sum, double Minimum, double Maximum, string Unit)> Aggregate(
        MetricKey key, DateTimeOffset start, DateTimeOffset end, int periodSeconds)
    {
        var period = TimeSpan.FromSeconds(periodSeconds);
        return _data
            .Where(d => d.Key.Equals(key) && d.Timestamp >= start && d.Timestamp < end)
            .GroupBy(d => start + (period * Math.Floor((d.Timestamp - start) / period)))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(d => d.SampleCount), g.Sum(d => d.Sum), g.Min(d => d.Minimum), g.Max(d => d.Maximum), g.First().Unit));
    }

    public static double Statistic(string statistic, double sampleCount, double sum, double minimum, double maximum) => statistic switch
    {
        "SampleCount" => sampleCount,
        "Sum" => sum,
        "Minimum" => minimum,
        "Maximum" => maximum,
        "Average" => sampleCount == 0 ? 0 : sum / sampleCount,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, null),
    };

    /// <summary>
    /// Evaluates every alarm at <paramref name="now"/>: the statistic of each of the last EvaluationPeriods periods
    /// against the threshold; DatapointsToAlarm breaching periods mean ALARM. Periods without data follow
    /// TreatMissingData (missing: INSUFFICIENT_DATA when no period has data).
    /// </summary>
    public void Evaluate(DateTimeOffset now)
    {
        foreach (var alarm in Alarms.Values)
        {
            var period = TimeSpan.FromSeconds(alarm.PeriodSeconds);
            var start = now - (period * alarm.EvaluationPeriods);
            var values = Aggregate(alarm.Metric, start, now + TimeSpan.FromTicks(1), alarm.PeriodSeconds)
                .Select(p => Statistic(alarm.Statistic, p.SampleCount, p.Sum, p.Minimum, p.Maximum))
                .ToList();
            var missing = alarm.EvaluationPeriods - values.Count;
            var breaching = values.Count(v => Breaches(alarm, v)) + (alarm.TreatMissingData == "breaching" ? missing : 0);
            string next;
            string reason;
            if (breaching >= alarm.DatapointsToAlarm)
            {
                next = "ALARM";
                reason = $"Threshold Crossed: {breaching} out of the last {alarm.EvaluationPeriods} datapoints were {Describe(alarm.ComparisonOperator)} the threshold ({alarm.Threshold.ToString(CultureInfo.InvariantCulture)}).";
            }
            else if (values.Count > 0 || alarm.TreatMissingData == "notBreaching")
            {
                next = "OK";
                reason = $"Threshold Crossed: {breaching} out of the last {alarm.EvaluationPeriods} datapoints were {Describe(alarm.ComparisonOperator)} the threshold ({alarm.Threshold.ToString(CultureInfo.InvariantCulture)}).";
            }
            else if (alarm.TreatMissingData == "ignore")
            {
                continue;
            }
            else
            {
                next = "INSUFFICIENT_DATA";
                reason = $"Insufficient Data: {alarm.EvaluationPeriods} datapoints were unknown.";
            }

            if (next != alarm.State)
            {
                alarm.State = next;
                alarm.StateReason = reason;
                alarm.StateUpdated = now;
            }
        }
    }

    private static bool Breaches(MetricAlarm alarm, double value) => alarm.ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => value >= alarm.Threshold,
        "GreaterThanThreshold" => value > alarm.Threshold,
        "LessThanThreshold" => value < alarm.Threshold,
        "LessThanOrEqualToThreshold" => value <= alarm.Threshold,
        _ => false,
    };

    private static string Describe(string comparison) => comparison switch
    {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        _ => "less than or equal to",
    };
}
