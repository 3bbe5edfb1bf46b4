using System.Net;
using Microsoft.Extensions.Options;

namespace RomanaAws.Controller.Configuration;

/// <summary>Every problem of the <c>controller:</c> and <c>aws:</c> sections at once, each naming its key, value and what is valid.</summary>
public sealed class SettingsValidator : IValidateOptions<ControllerSettings>, IValidateOptions<AwsSettings>
{
    public ValidateOptionsResult Validate(string? name, ControllerSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, "controller:resyncSeconds", options.ResyncSeconds, 5, 3600);
        Range(errors, "controller:maxDeletesPerPass", options.MaxDeletesPerPass, 0, 1000);
        Range(errors, "controller:hostGraceSeconds", options.HostGraceSeconds, 0, 86_400);
        if (string.IsNullOrWhiteSpace(options.StateFile))
        {
            errors.Add("controller:stateFile: is empty; give the path of the IPAM state file");
        }

        if (!IPEndPoint.TryParse(options.Listen, out var endpoint) || endpoint.Port == 0)
        {
            errors.Add($"controller:listen: '{options.Listen}' must be address:port, such as 127.0.0.1:9610");
        }

        errors.AddRange(options.RouteTables.Where(t => !t.StartsWith("rtb-", StringComparison.Ordinal)).Select(t => $"controller:routeTables: '{t}' is not a route table id (rtb-…)"));
        if (options.VpcId is { } vpc && !vpc.StartsWith("vpc-", StringComparison.Ordinal))
        {
            errors.Add($"controller:vpcId: '{vpc}' is not a VPC id (vpc-…)");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, AwsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (key, value) in new[] { ("aws:ec2ServiceUrl", options.Ec2ServiceUrl), ("aws:cloudWatchServiceUrl", options.CloudWatchServiceUrl) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                errors.Add($"{key}: '{value}' must be an absolute http(s) URL, such as http://127.0.0.1:4566/");
            }
        }

        if (options.Region is { } region && (region.Length < 9 || !region.Contains('-', StringComparison.Ordinal)))
        {
            errors.Add($"aws:region: '{region}' is not an AWS region name such as us-east-1");
        }

        Range(errors, "aws:maxRetries", options.MaxRetries, 0, 20);
        Range(errors, "aws:retryBaseDelayMs", options.RetryBaseDelayMs, 10, 60_000);
        Range(errors, "aws:mutationBurst", options.MutationBurst, 1, 50);
        Range(errors, "aws:maxConcurrency", options.MaxConcurrency, 1, 32);
        Range(errors, "aws:callTimeoutSeconds", options.CallTimeoutSeconds, 1, 300);
        if (options.MutationsPerSecond is <= 0 or > 5)
        {
            errors.Add($"aws:mutationsPerSecond: {options.MutationsPerSecond} must be above 0 and at most 5 (EC2 refills mutating calls at 5/s)");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: {value} must be from {min} to {max}");
        }
    }
}
