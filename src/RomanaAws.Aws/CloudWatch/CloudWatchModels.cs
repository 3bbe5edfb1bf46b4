namespace RomanaAws.Aws.CloudWatch;

/// <summary>A metric dimension.</summary>
public sealed record Dimension(string Name, string Value);

/// <summary>One value to publish.</summary>
public sealed record MetricSample(string MetricName, double Value, string Unit, IReadOnlyList<Dimension> Dimensions, DateTimeOffset? Timestamp = null);

/// <summary>A metric as ListMetrics names it.</summary>
public sealed record MetricName(string Namespace, string Name, IReadOnlyList<Dimension> Dimensions);

/// <summary>One aggregated datapoint of GetMetricStatistics.</summary>
public sealed record StatisticDatapoint(DateTimeOffset Timestamp, IReadOnlyDictionary<string, double> Values, string? Unit);

/// <summary>A metric alarm to create or update with PutMetricAlarm.</summary>
public sealed record MetricAlarmDefinition
{
    public required string AlarmName { get; init; }

    public string? Description { get; init; }

    public required string Namespace { get; init; }

    public required string MetricName { get; init; }

    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];

    public required string Statistic { get; init; }

    public required int PeriodSeconds { get; init; }

    public required int EvaluationPeriods { get; init; }

    public int? DatapointsToAlarm { get; init; }

    public required double Threshold { get; init; }

    public required string ComparisonOperator { get; init; }

    public string TreatMissingData { get; init; } = "missing";

    public IReadOnlyList<string> AlarmActions { get; init; } = [];
}

/// <summary>An alarm's state as DescribeAlarms reports it.</summary>
public sealed record AlarmStatus(string AlarmName, string StateValue, string StateReason, DateTimeOffset StateUpdated, string MetricName, string Namespace);
