using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// A Node's <c>spec.providerID</c> on AWS: <c>aws:///ZONE/i-…</c> (as the kubelet and the AWS cloud provider write it),
/// or <c>aws:////i-…</c> without a zone. <see cref="Zone"/> is null in the second form. Anything else is refused with
/// a message naming the value and the valid forms.
/// </summary>
public readonly partial record struct ProviderId(string? Zone, string InstanceId)
{
    public const string Prefix = "aws:///";

    public static bool TryParse(string? value, out ProviderId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        error = null;
        var valid = "expected aws:///ZONE/INSTANCE-ID, such as aws:///us-east-1a/i-0123456789abcdef0 (or aws:////INSTANCE-ID without a zone)";
        if (string.IsNullOrEmpty(value))
        {
            error = $"providerID is empty; {valid}";
            return false;
        }

        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"providerID \"{value}\" is not an AWS provider ID; {valid}";
            return false;
        }

        var parts = value[Prefix.Length..].Split('/');
        if (parts.Length != 2)
        {
            error = $"providerID \"{value}\" must have a zone and an instance id after {Prefix}; {valid}";
            return false;
        }

        var (zone, instance) = (parts[0], parts[1]);
        if (zone.Length > 0 && !ZonePattern().IsMatch(zone))
        {
            error = $"providerID \"{value}\": \"{zone}\" is not an availability zone name such as us-east-1a; {valid}";
            return false;
        }

        if (!InstancePattern().IsMatch(instance))
        {
            error = $"providerID \"{value}\": \"{instance}\" is not an EC2 instance id (i- and 8 or 17 hex digits); {valid}";
            return false;
        }

        id = new ProviderId(zone.Length == 0 ? null : zone, instance);
        return true;
    }

    public override string ToString() => $"{Prefix}{Zone}/{InstanceId}";

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex InstancePattern();
}
