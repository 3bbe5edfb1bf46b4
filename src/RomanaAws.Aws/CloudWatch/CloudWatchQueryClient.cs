using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace RomanaAws.Aws.CloudWatch;

/// <summary>
/// A small CloudWatch client over the Query protocol (API 2010-08-01), because AWSSDK.CloudWatch is not available
/// here. Everything security-relevant comes from AWSSDK.Core: credentials from its default chain
/// (<see cref="DefaultAWSCredentialsIdentityResolver"/>) and SigV4 from its <see cref="SigV4SigningHandler"/>.
/// This class only builds form parameters and reads XML. It does not retry; callers decide (see <see cref="CloudWatchException.IsTransient"/>).
/// </summary>
public sealed class CloudWatchQueryClient : IDisposable
{
    public const string ApiVersion = "2010-08-01";
    public const string SigningService = "monitoring";

    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public CloudWatchQueryClient(CloudWatchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = options.Endpoint;
        var signing = new AWSSigV4Parameters
        {
            Credentials = options.Credentials ?? Ec2.Ec2ClientFactory.ResolveCredentials(options.ServiceUrl),
            Region = Amazon.RegionEndpoint.GetBySystemName(options.Region),
            Service = SigningService,
        };
        _http = new HttpClient(new SigV4SigningHandler(signing, new SocketsHttpHandler())) { Timeout = options.Timeout };
    }

    /// <summary>PutMetricData: up to 1,000 values per call (split larger batches).</summary>
    public async Task PutMetricDataAsync(string metricNamespace, IReadOnlyList<MetricSample> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var chunk in values.Chunk(1000))
        {
            var form = Form("PutMetricData", ("Namespace", metricNamespace));
            for (var i = 0; i < chunk.Length; i++)
            {
                var p = $"MetricData.member.{i + 1}";
                var value = chunk[i];
                form.Add(($"{p}.MetricName", value.MetricName));
                form.Add(($"{p}.Value", value.Value.ToString("R", CultureInfo.InvariantCulture)));
                form.Add(($"{p}.Unit", value.Unit));
                if (value.Timestamp is { } at)
                {
                    form.Add(($"{p}.Timestamp", Time(at)));
                }

                AddDimensions(form, $"{p}.Dimensions", value.Dimensions);
            }

            _ = await SendAsync(form, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<MetricName>> ListMetricsAsync(string? metricNamespace, string? metricName, CancellationToken cancellationToken)
    {
        var result = new List<MetricName>();
        string? token = null;
        do
        {
            var form = Form("ListMetrics");
            Optional(form, "Namespace", metricNamespace);
            Optional(form, "MetricName", metricName);
            Optional(form, "NextToken", token);
            var body = await SendAsync(form, cancellationToken);
            result.AddRange(Members(body, "Metrics").Select(m => new MetricName(Text(m, "Namespace"), Text(m, "MetricName"), ReadDimensions(m))));
            token = body.Descendants(Ns + "NextToken").FirstOrDefault()?.Value is { Length: > 0 } next ? next : null;
        }
        while (token is not null);
        return result;
    }

    public async Task<IReadOnlyList<StatisticDatapoint>> GetMetricStatisticsAsync(
        string metricNamespace, string metricName, IReadOnlyList<Dimension> dimensions, DateTimeOffset start, DateTimeOffset end,
        int periodSeconds, IReadOnlyList<string> statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var form = Form("GetMetricStatistics", ("Namespace", metricNamespace), ("MetricName", metricName), ("StartTime", Time(start)),
            ("EndTime", Time(end)), ("Period", periodSeconds.ToString(CultureInfo.InvariantCulture)));
        AddDimensions(form, "Dimensions", dimensions);
        for (var i = 0; i < statistics.Count; i++)
        {
            form.Add(($"Statistics.member.{i + 1}", statistics[i]));
        }

        var body = await SendAsync(form, cancellationToken);
        return Members(body, "Datapoints")
            .Select(d => new StatisticDatapoint(
                DateTimeOffset.Parse(Text(d, "Timestamp"), CultureInfo.InvariantCulture),
                statistics.Where(s => d.Element(Ns + s) is not null).ToDictionary(s => s, s => double.Parse(Text(d, s), CultureInfo.InvariantCulture)),
                d.Element(Ns + "Unit")?.Value))
            .OrderBy(d => d.Timestamp)
            .ToList();
    }

    public async Task PutMetricAlarmAsync(MetricAlarmDefinition alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var form = Form("PutMetricAlarm", ("AlarmName", alarm.AlarmName), ("Namespace", alarm.Namespace), ("MetricName", alarm.MetricName),
            ("Statistic", alarm.Statistic), ("Period", alarm.PeriodSeconds.ToString(CultureInfo.InvariantCulture)),
            ("EvaluationPeriods", alarm.EvaluationPeriods.ToString(CultureInfo.InvariantCulture)),
            ("Threshold", alarm.Threshold.ToString("R", CultureInfo.InvariantCulture)), ("ComparisonOperator", alarm.ComparisonOperator),
            ("TreatMissingData", alarm.TreatMissingData));
        Optional(form, "AlarmDescription", alarm.Description);
        Optional(form, "DatapointsToAlarm", alarm.DatapointsToAlarm?.ToString(CultureInfo.InvariantCulture));
        AddDimensions(form, "Dimensions", alarm.Dimensions);
        for (var i = 0; i < alarm.AlarmActions.Count; i++)
        {
            form.Add(($"AlarmActions.member.{i + 1}", alarm.AlarmActions[i]));
        }

        _ = await SendAsync(form, cancellationToken);
    }

    public async Task<IReadOnlyList<AlarmStatus>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarmNames);
        var form = Form("DescribeAlarms");
        for (var i = 0; i < alarmNames.Count; i++)
        {
            form.Add(($"AlarmNames.member.{i + 1}", alarmNames[i]));
        }

        var body = await SendAsync(form, cancellationToken);
        return Members(body, "MetricAlarms")
            .Select(a => new AlarmStatus(Text(a, "AlarmName"), Text(a, "StateValue"), Text(a, "StateReason"),
                DateTimeOffset.Parse(Text(a, "StateUpdatedTimestamp"), CultureInfo.InvariantCulture), Text(a, "MetricName"), Text(a, "Namespace")))
            .ToList();
    }

    private async Task<XElement> SendAsync(List<(string Key, string Value)> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))),
        };
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement body;
        try
        {
            body = XElement.Parse(text);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new CloudWatchException("InvalidResponse", $"not XML (HTTP {(int)response.StatusCode}): {ex.Message}", response.StatusCode, null);
        }

        if (!response.IsSuccessStatusCode || body.Name.LocalName == "ErrorResponse")
        {
            var error = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new CloudWatchException(
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "Unknown",
                error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? text,
                response.StatusCode,
                body.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value);
        }

        return body;
    }

    private static List<(string Key, string Value)> Form(string action, params (string Key, string Value)[] parameters) =>
        [("Action", action), ("Version", ApiVersion), .. parameters];

    private static void Optional(List<(string Key, string Value)> form, string key, string? value)
    {
        if (value is not null)
        {
            form.Add((key, value));
        }
    }

    private static void AddDimensions(List<(string Key, string Value)> form, string prefix, IReadOnlyList<Dimension> dimensions)
    {
        for (var i = 0; i < dimensions.Count; i++)
        {
            form.Add(($"{prefix}.member.{i + 1}.Name", dimensions[i].Name));
            form.Add(($"{prefix}.member.{i + 1}.Value", dimensions[i].Value));
        }
    }

    private static IEnumerable<XElement> Members(XElement body, string list) =>
        body.Descendants(Ns + list).Take(1).Elements(Ns + "member");

    private static List<Dimension> ReadDimensions(XElement parent) =>
        parent.Element(Ns + "Dimensions")?.Elements(Ns + "member").Select(d => new Dimension(Text(d, "Name"), Text(d, "Value"))).ToList() ?? [];

    private static string Text(XElement parent, string name) => parent.Element(Ns + name)?.Value ?? string.Empty;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
