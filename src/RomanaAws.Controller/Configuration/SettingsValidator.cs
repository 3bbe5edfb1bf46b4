using System.Net;

namespace RomanaAws.Controller.Configuration;

/// <summary>
/// What the <c>controller:</c> and <c>aws:</c> sections need beyond types and ranges (those are checked by
/// <see cref="SettingsBinder"/> as values are read): addresses, URLs, ids. Every problem names its key and value.
/// </summary>
public static class SettingsValidator
{
    public static IEnumerable<SettingProblem> Validate(ControllerSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.StateBackend is not ("file" or "etcd"))
        {
            yield return new SettingProblem("controller:stateBackend", options.StateBackend, "must be file (one replica, controller.stateFile) or etcd (replicas with leader election, the etcd: section)");
        }

        if (options.Advertise is { } advertise && (!Uri.TryCreate(advertise, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            yield return new SettingProblem("controller:advertise", advertise, "must be this replica's API URL, such as http://10.0.1.7:9610/");
        }

        if (string.IsNullOrWhiteSpace(options.StateFile))
        {
            yield return new SettingProblem("controller:stateFile", options.StateFile, "is empty; give the path of the IPAM state file");
        }

        if (!IPEndPoint.TryParse(options.Listen, out var endpoint) || endpoint.Port == 0)
        {
            yield return new SettingProblem("controller:listen", options.Listen, "must be address:port, such as 127.0.0.1:9610");
        }

        foreach (var table in options.RouteTables.Where(t => !t.StartsWith("rtb-", StringComparison.Ordinal)))
        {
            yield return new SettingProblem("controller:routeTables", table, "is not a route table id (rtb-…)");
        }

        if (options.VpcId is { } vpc && !vpc.StartsWith("vpc-", StringComparison.Ordinal))
        {
            yield return new SettingProblem("controller:vpcId", vpc, "is not a VPC id (vpc-…)");
        }
    }

    public static IEnumerable<SettingProblem> Validate(AwsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in new[] { ("aws:ec2ServiceUrl", options.Ec2ServiceUrl), ("aws:cloudWatchServiceUrl", options.CloudWatchServiceUrl) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                yield return new SettingProblem(key, value, "must be an absolute http(s) URL, such as http://127.0.0.1:4566/");
            }
        }

        if (options.Region is { } region && (region.Length < 9 || !region.Contains('-', StringComparison.Ordinal)))
        {
            yield return new SettingProblem("aws:region", region, "is not an AWS region name such as us-east-1");
        }
    }
}
