namespace RomanaAws.VpcSim.CloudWatch;

/// <summary>A metric's identity: namespace, name and dimensions (sorted by name).</summary>
internal sealed record MetricKey(string Namespace, string MetricName, IReadOnlyList<KeyValuePair<string, string>> Dimensions)
{
    public bool Equals(MetricKey? other) =>
        other is not null && Namespace == other.Namespace && MetricName == other.MetricName && Dimensions.SequenceEqual(other.Dimensions);

    public override int GetHashCode() => HashCode.Combine(Namespace, MetricName, Dimensions.Count);
}

/// <summary>One published value (or statistic set), at a time.</summary>
internal sealed record MetricDatum(MetricKey Key, DateTimeOffset Timestamp, double SampleCount, double Sum, double Minimum, double Maximum, string Unit);
