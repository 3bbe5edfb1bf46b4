using RomanaAws.Aws.CloudWatch;

namespace RomanaAws.Controller.Metrics;

/// <summary>The alarms RomanaAws recommends, defined once (the demo creates them in the simulator; the CloudFormation stack mirrors them).</summary>
public static class Alarms
{
    /// <summary>Any route failover within a minute.</summary>
    public static MetricAlarmDefinition RouteFailover(string cluster, string alarmName, string metricNamespace = MetricNames.DefaultNamespace) => new()
    {
        AlarmName = alarmName,
        Description = "A RomanaAws route moved to a new target",
        Namespace = metricNamespace,
        MetricName = MetricNames.RouteFailovers,
        Dimensions = [new Dimension(MetricNames.ClusterDimension, cluster)],
        Statistic = "Sum",
        PeriodSeconds = 60,
        EvaluationPeriods = 1,
        Threshold = 1,
        ComparisonOperator = "GreaterThanOrEqualToThreshold",
        TreatMissingData = "notBreaching",
    };
}
