using System.Globalization;
using RomanaAws.VpcSim.Ec2;
using static RomanaAws.VpcSim.CloudWatch.CloudWatchXml;

namespace RomanaAws.VpcSim.CloudWatch;

/// <summary>PutMetricData, ListMetrics, GetMetricStatistics, PutMetricAlarm, DescribeAlarms (Query protocol, 2010-08-01).</summary>
internal static class CloudWatchActions
{
    /// <summary>An action: request, store, now → the Result element's content (null: no Result element).</summary>
    public delegate object?[]? Handler(QueryRequest request, MetricStore store, DateTimeOffset now);

    private static readonly string[] Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
    private static readonly string[] Comparisons = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];
    private static readonly string[] MissingData = ["breaching", "notBreaching", "ignore", "missing"];

    public static IReadOnlyDictionary<string, Handler> ByName { get; } = new Dictionary<string, Handler>(StringComparer.Ordinal)
    {
        ["PutMetricData"] = PutMetricData,
        ["ListMetrics"] = ListMetrics,
        ["GetMetricStatistics"] = GetMetricStatistics,
        ["PutMetricAlarm"] = PutMetricAlarm,
        ["DescribeAlarms"] = DescribeAlarms,
    };

    private static object?[]? PutMetricData(QueryRequest request, MetricStore store, DateTimeOffset now)
    {
        var ns = Namespace(request);
        var items = request.Indexed("MetricData.member");
        if (items.Count == 0)
        {
            throw Ec2Exception.Missing("MetricData");
        }

        if (items.Count > 1000)
        {
            throw new Ec2Exception("InvalidParameterValue", "The collection MetricData must not have a size greater than 1000.");
        }

        foreach (var i in items)
        {
            var p = $"MetricData.member.{i}";
            var key = new MetricKey(ns, request.Required($"{p}.MetricName"), Dimensions(request, $"{p}.Dimensions"));
            var time = request.Get($"{p}.Timestamp") is { } t ? ParseTime($"{p}.Timestamp", t) : now;
            var unit = request.Get($"{p}.Unit") ?? "None";
            if (request.Get($"{p}.StatisticValues.SampleCount") is not null)
            {
                store.Add(new MetricDatum(key, time, Number(request, $"{p}.StatisticValues.SampleCount"), Number(request, $"{p}.StatisticValues.Sum"),
                    Number(request, $"{p}.StatisticValues.Minimum"), Number(request, $"{p}.StatisticValues.Maximum"), unit));
            }
            else if (request.Indexed($"{p}.Values.member").Count > 0)
            {
                var values = request.List($"{p}.Values.member").Select(v => Parse($"{p}.Values", v)).ToList();
                var counts = request.List($"{p}.Counts.member").Select(v => Parse($"{p}.Counts", v)).ToList();
                for (var v = 0; v < values.Count; v++)
                {
                    var count = v < counts.Count ? counts[v] : 1;
                    store.Add(new MetricDatum(key, time, count, values[v] * count, values[v], values[v], unit));
                }
            }
            else
            {
                var value = Number(request, $"{p}.Value");
                store.Add(new MetricDatum(key, time, 1, value, value, value, unit));
            }
        }

        store.Evaluate(now);
        return null;
    }

    private static object?[]? ListMetrics(QueryRequest request, MetricStore store, DateTimeOffset now)
    {
        var ns = request.Get("Namespace");
        var name = request.Get("MetricName");
        var dims = Dimensions(request, "Dimensions");
        var metrics = store.Metrics
            .Where(m => (ns is null || m.Namespace == ns) && (name is null || m.MetricName == name)
                && dims.All(d => m.Dimensions.Any(md => md.Key == d.Key && (d.Value.Length == 0 || md.Value == d.Value))))
            .ToList();
        return [Members("Metrics", metrics, m => [E("Namespace", m.Namespace), E("MetricName", m.MetricName), DimensionsXml(m.Dimensions)])];
    }

    private static object?[]? GetMetricStatistics(QueryRequest request, MetricStore store, DateTimeOffset now)
    {
        var key = new MetricKey(Namespace(request), request.Required("MetricName"), Dimensions(request, "Dimensions"));
        var start = ParseTime("StartTime", request.Required("StartTime"));
        var end = ParseTime("EndTime", request.Required("EndTime"));
        var period = request.Int("Period") ?? throw Ec2Exception.Missing("Period");
        if (period < 1 || (period > 60 && period % 60 != 0) || (period < 60 && period is not (1 or 5 or 10 or 30)))
        {
            throw new Ec2Exception("InvalidParameterValue", "The parameter Period must be a multiple of 60, or 1, 5, 10 or 30 for high-resolution metrics.");
        }

        if (end <= start)
        {
            throw new Ec2Exception("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
        }

        var datapoints = Math.Ceiling((end - start).TotalSeconds / period);
        if (datapoints > 1440)
        {
            throw new Ec2Exception("InvalidParameterCombination", string.Create(CultureInfo.InvariantCulture,
                $"You have requested up to {datapoints} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."));
        }

        var statistics = request.List("Statistics.member");
        if (statistics.Count == 0)
        {
            throw Ec2Exception.Missing("Statistics");
        }

        var bad = statistics.FirstOrDefault(s => !Statistics.Contains(s));
        if (bad is not null)
        {
            throw new Ec2Exception("InvalidParameterValue", $"The parameter Statistics.member.1 must be a value in the set [ {string.Join(", ", Statistics)} ]: {InputEcho.Of(bad)}");
        }

        var points = store.Aggregate(key, start, end, period).ToList();
        return
        [
            E("Label", key.MetricName),
            Members("Datapoints", points, p => [E("Timestamp", Time(p.Start)),
                statistics.Select(s => E(s, MetricStore.Statistic(s, p.SampleCount, p.Sum, p.Minimum, p.Maximum).ToString(CultureInfo.InvariantCulture))), E("Unit", p.Unit)]),
        ];
    }

    private static object?[]? PutMetricAlarm(QueryRequest request, MetricStore store, DateTimeOffset now)
    {
        var name = request.Required("AlarmName");
        var statistic = request.Required("Statistic");
        var comparison = request.Required("ComparisonOperator");
        var missing = request.Get("TreatMissingData") ?? "missing";
        var period = request.Int("Period") ?? throw Ec2Exception.Missing("Period");
        var evaluation = request.Int("EvaluationPeriods") ?? throw Ec2Exception.Missing("EvaluationPeriods");
        OneOf("Statistic", statistic, Statistics);
        OneOf("ComparisonOperator", comparison, Comparisons);
        OneOf("TreatMissingData", missing, MissingData);
        if (period is not (10 or 30) && (period < 60 || period % 60 != 0))
        {
            throw new Ec2Exception("InvalidParameterValue", "The parameter Period must be 10, 30 or a multiple of 60.");
        }

        if (evaluation < 1 || (long)period * evaluation > 86_400)
        {
            throw new Ec2Exception("InvalidParameterValue", "The product of Period and EvaluationPeriods must not exceed 86400 seconds, and EvaluationPeriods must be at least 1.");
        }

        var datapointsToAlarm = request.Int("DatapointsToAlarm") ?? evaluation;
        if (datapointsToAlarm < 1 || datapointsToAlarm > evaluation)
        {
            throw new Ec2Exception("ValidationError", string.Create(CultureInfo.InvariantCulture,
                $"DatapointsToAlarm ({datapointsToAlarm}) must be from 1 to EvaluationPeriods ({evaluation})."));
        }

        var previous = store.Alarms.GetValueOrDefault(name);
        store.Alarms[name] = new MetricAlarm
        {
            Name = name,
            Description = request.Get("AlarmDescription"),
            Metric = new MetricKey(Namespace(request), request.Required("MetricName"), Dimensions(request, "Dimensions")),
            Statistic = statistic,
            PeriodSeconds = period,
            EvaluationPeriods = evaluation,
            DatapointsToAlarm = datapointsToAlarm,
            Threshold = Number(request, "Threshold"),
            ComparisonOperator = comparison,
            TreatMissingData = missing,
            ActionsEnabled = request.Bool("ActionsEnabled", true),
            AlarmActions = request.List("AlarmActions.member"),
            OkActions = request.List("OKActions.member"),
            State = previous?.State ?? "INSUFFICIENT_DATA",
            StateReason = previous?.StateReason ?? "Unchecked: Initial alarm creation",
            StateUpdated = previous?.StateUpdated ?? now,
            ConfigurationUpdated = now,
        };
        store.Evaluate(now);
        return null;
    }

    private static object?[]? DescribeAlarms(QueryRequest request, MetricStore store, DateTimeOffset now)
    {
        store.Evaluate(now);
        var names = request.List("AlarmNames.member");
        var prefix = request.Get("AlarmNamePrefix");
        var stateValue = request.Get("StateValue");
        var alarms = store.Alarms.Values
            .Where(a => (names.Count == 0 || names.Contains(a.Name)) && (prefix is null || a.Name.StartsWith(prefix, StringComparison.Ordinal))
                && (stateValue is null || a.State == stateValue))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        return
        [
            Members("MetricAlarms", alarms, a => [E("AlarmName", a.Name), E("AlarmArn", $"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{a.Name}"),
                a.Description is null ? null : E("AlarmDescription", a.Description), E("AlarmConfigurationUpdatedTimestamp", Time(a.ConfigurationUpdated)),
                E("ActionsEnabled", a.ActionsEnabled ? "true" : "false"), Members("OKActions", a.OkActions, x => [x]), Members("AlarmActions", a.AlarmActions, x => [x]),
                E("InsufficientDataActions"), E("StateValue", a.State), E("StateReason", a.StateReason), E("StateUpdatedTimestamp", Time(a.StateUpdated)),
                E("MetricName", a.Metric.MetricName), E("Namespace", a.Metric.Namespace), E("Statistic", a.Statistic), DimensionsXml(a.Metric.Dimensions),
                E("Period", a.PeriodSeconds), E("EvaluationPeriods", a.EvaluationPeriods), E("DatapointsToAlarm", a.DatapointsToAlarm),
                E("Threshold", a.Threshold.ToString(CultureInfo.InvariantCulture)), E("ComparisonOperator", a.ComparisonOperator), E("TreatMissingData", a.TreatMissingData)]),
            E("CompositeAlarms"),
        ];
    }

    private static string Namespace(QueryRequest request)
    {
        var ns = request.Required("Namespace");
        return ns.StartsWith("AWS/", StringComparison.Ordinal)
            ? throw new Ec2Exception("InvalidParameterValue", $"The value {InputEcho.Of(ns)} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.")
            : ns;
    }

    private static List<KeyValuePair<string, string>> Dimensions(QueryRequest request, string prefix)
    {
        var dims = request.Indexed($"{prefix}.member")
            .Select(i => new KeyValuePair<string, string>(request.Required($"{prefix}.member.{i}.Name"), request.Get($"{prefix}.member.{i}.Value") ?? string.Empty))
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        return dims.Count > 30 ? throw new Ec2Exception("InvalidParameterValue", $"The collection {prefix} must not have a size greater than 30.") : dims;
    }

    private static System.Xml.Linq.XElement DimensionsXml(IReadOnlyList<KeyValuePair<string, string>> dims) =>
        Members("Dimensions", dims, d => [E("Name", d.Key), E("Value", d.Value)]);

    private static double Number(QueryRequest request, string name) => Parse(name, request.Required(name));

    private static double Parse(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new Ec2Exception("InvalidParameterValue", $"The value {InputEcho.Of(text)} for parameter {name} is not a valid number.");

    private static DateTimeOffset ParseTime(string name, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new Ec2Exception("InvalidParameterValue", $"The value {InputEcho.Of(text)} for parameter {name} is not a valid ISO 8601 timestamp.");

    private static void OneOf(string name, string value, string[] allowed)
    {
        if (!allowed.Contains(value))
        {
            throw new Ec2Exception("InvalidParameterValue", $"The value {InputEcho.Of(value)} for parameter {name} is invalid; valid values: {string.Join(", ", allowed)}.");
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
