namespace RomanaAws.VpcSim.CloudWatch;

/// <summary>A metric alarm as PutMetricAlarm defines it, and its current state.</summary>
internal sealed class MetricAlarm
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required MetricKey Metric { get; init; }

    public required string Statistic { get; init; }

    public required int PeriodSeconds { get; init; }

    public required int EvaluationPeriods { get; init; }

    public required int DatapointsToAlarm { get; init; }

    public required double Threshold { get; init; }

    public required string ComparisonOperator { get; init; }

    public required string TreatMissingData { get; init; }

    public bool ActionsEnabled { get; init; } = true;

    public IReadOnlyList<string> AlarmActions { get; init; } = [];

    public IReadOnlyList<string> OkActions { get; init; } = [];

    public string State { get; set; } = "INSUFFICIENT_DATA";

    public string StateReason { get; set; } = "Unchecked: Initial alarm creation";

    public DateTimeOffset StateUpdated { get; set; }

    public DateTimeOffset ConfigurationUpdated { get; init; }
}
