using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>
/// The API's <c>V1NetworkPolicy</c> to a checked <see cref="PolicySpec"/>, with the API server's validation and defaults
/// (policyTypes: Ingress always, Egress when there are egress rules; protocol TCP). Pure. Every error names the field
/// path, the value and what would be valid; nothing valid is refused.
/// </summary>
public static partial class PolicyTranslator
{
    public static PolicySpec? Translate(V1NetworkPolicy policy, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(errors);
        var name = policy.Metadata?.Name;
        var ns = string.IsNullOrEmpty(policy.Metadata?.NamespaceProperty) ? "default" : policy.Metadata.NamespaceProperty;
        var at = $"NetworkPolicy {ns}/{name ?? "?"}";
        var before = errors.Count;
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new ConfigError("metadata.name", null, null, "is required"));
        }

        if (policy.Spec is not { } spec)
        {
            errors.Add(new ConfigError($"{at}: spec", null, null, "is required"));
            return null;
        }

        var podSelector = Selector(spec.PodSelector, $"{at}: spec.podSelector", errors) ?? LabelSelector.Everything;
        var ingress = (spec.Ingress ?? []).Select((r, i) => Rule(r.FromProperty, r.Ports, $"{at}: spec.ingress[{i}]", "from", errors)).ToList();
        var egress = (spec.Egress ?? []).Select((r, i) => Rule(r.To, r.Ports, $"{at}: spec.egress[{i}]", "to", errors)).ToList();
        var types = spec.PolicyTypes;
        foreach (var (type, i) in (types ?? []).Select((t, i) => (t, i)).Where(t => t.t is not ("Ingress" or "Egress")))
        {
            errors.Add(new ConfigError($"{at}: spec.policyTypes[{i}]", null, type, "must be Ingress or Egress"));
        }

        var hasIngress = types is { Count: > 0 } ? types.Contains("Ingress") : true;
        var hasEgress = types is { Count: > 0 } ? types.Contains("Egress") : egress.Count > 0;
        return errors.Count > before ? null : new PolicySpec(name!, ns, podSelector, hasIngress, hasEgress, ingress!, egress!);
    }

    /// <summary>
    /// <c>metav1.LabelSelector</c> to a checked selector; null when invalid (the error is added). A missing selector
    /// means everything, as <c>{}</c> does.
    /// </summary>
    public static LabelSelector? Selector(V1LabelSelector? selector, string path, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (selector is null)
        {
            return LabelSelector.Everything;
        }

        var requirements = new List<SelectorRequirement>();
        var index = 0;
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var at = $"{path}.matchExpressions[{index++}]";
            if (!Enum.TryParse<SelectorOperator>(expression.OperatorProperty, ignoreCase: false, out var op) || !Enum.IsDefined(op) || int.TryParse(expression.OperatorProperty, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(new ConfigError($"{at}.operator", null, expression.OperatorProperty, "must be In, NotIn, Exists or DoesNotExist"));
                return null;
            }

            requirements.Add(new SelectorRequirement(expression.Key ?? string.Empty, op, [.. expression.Values ?? []]));
        }

        try
        {
            return LabelSelector.Create(selector.MatchLabels?.ToDictionary(StringComparer.Ordinal), requirements, path);
        }
        catch (LabelSelectorException ex)
        {
            var colon = ex.Message.StartsWith(path, StringComparison.Ordinal) ? ex.Message.IndexOf(": ", path.Length, StringComparison.Ordinal) : -1;
            errors.Add(new ConfigError(colon > 0 ? ex.Message[..colon] : path, null, null, colon > 0 ? ex.Message[(colon + 2)..] : ex.Message));
            return null;
        }
    }

    private static PolicyRule? Rule(IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports, string path, string peersKey, List<ConfigError> errors)
    {
        var before = errors.Count;
        var result = new List<PolicyPeer>();
        foreach (var (peer, i) in (peers ?? []).Select((p, i) => (p, i)))
        {
            var at = $"{path}.{peersKey}[{i}]";
            if (peer.IpBlock is { } block)
            {
                if (peer.PodSelector is not null || peer.NamespaceSelector is not null)
                {
                    errors.Add(new ConfigError($"{at}.ipBlock", null, null, "cannot be combined with podSelector or namespaceSelector in one peer"));
                }
                else if (IpBlock(block, $"{at}.ipBlock", errors) is { } ipBlock)
                {
                    result.Add(ipBlock);
                }

                continue;
            }

            if (peer.PodSelector is null && peer.NamespaceSelector is null)
            {
                errors.Add(new ConfigError(at, null, null, "must specify a peer: podSelector, namespaceSelector (or both) or ipBlock"));
                continue;
            }

            var pods = Selector(peer.PodSelector, $"{at}.podSelector", errors);
            var namespaces = peer.NamespaceSelector is null ? null : Selector(peer.NamespaceSelector, $"{at}.namespaceSelector", errors);
            if (pods is not null && (peer.NamespaceSelector is null || namespaces is not null))
            {
                result.Add(new PodPeer(pods, namespaces));
            }
        }

        var policyPorts = (ports ?? []).Select((p, i) => Port(p, $"{path}.ports[{i}]", errors)).ToList();
        return errors.Count > before ? null : new PolicyRule(result, policyPorts!);
    }

    private static IpBlockPeer? IpBlock(V1IPBlock block, string path, List<ConfigError> errors)
    {
        if (!TryParseSloppy(block.Cidr, out var cidr, out var why))
        {
            errors.Add(new ConfigError($"{path}.cidr", null, block.Cidr, why));
            return null;
        }

        var except = new List<Cidr>();
        foreach (var (text, i) in (block.Except ?? []).Select((e, i) => (e, i)))
        {
            if (!TryParseSloppy(text, out var inner, out _) || !cidr.Contains(inner) || inner == cidr)
            {
                errors.Add(new ConfigError($"{path}.except[{i}]", null, text, $"must be a CIDR strictly inside {cidr}"));
                return null;
            }

            except.Add(inner);
        }

        return new IpBlockPeer(cidr, except);
    }

    /// <summary>
    /// A CIDR as the API server takes it for ipBlock (netutils.ParseCIDRSloppy): host bits may be set, and mean the
    /// network (<c>10.1.2.3/24</c> is <c>10.1.2.0/24</c>); the upstream e2e suite writes a pod's IP with a prefix so.
    /// </summary>
    internal static bool TryParseSloppy(string? text, out Cidr cidr, out string why)
    {
        if (Cidr.TryParse(text ?? string.Empty, out cidr, out why))
        {
            return true;
        }

        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash > 0 && Cidr.TryParseAddress(text![..slash], out var address) && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            var isV6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            var hostBits = (isV6 ? 128 : 32) - prefix;
            cidr = Cidr.FromNumber(hostBits == 128 ? UInt128.Zero : Cidr.ToNumber(address) >> hostBits << hostBits, prefix, isV6);
            return true;
        }

        return false;
    }

    private static PolicyPort? Port(V1NetworkPolicyPort port, string path, List<ConfigError> errors)
    {
        var protocol = port.Protocol ?? "TCP";
        if (protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            errors.Add(new ConfigError($"{path}.protocol", null, protocol, "must be TCP, UDP or SCTP"));
            return null;
        }

        var text = port.Port?.Value;
        if (text is null)
        {
            if (port.EndPort is not null)
            {
                errors.Add(new ConfigError($"{path}.endPort", null, port.EndPort.Value.ToString(CultureInfo.InvariantCulture), "needs a numeric port"));
                return null;
            }

            return new PolicyPort(protocol, null, null);
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > 65535)
            {
                errors.Add(new ConfigError($"{path}.port", null, text, "must be a port number from 1 to 65535 or a port name"));
                return null;
            }

            if (port.EndPort is { } end && (end < number || end > 65535))
            {
                errors.Add(new ConfigError($"{path}.endPort", null, end.ToString(CultureInfo.InvariantCulture), $"must be from the port ({number}) to 65535"));
                return null;
            }

            return new PolicyPort(protocol, number, port.EndPort);
        }

        if (!IsPortName(text))
        {
            errors.Add(new ConfigError($"{path}.port", null, text, "must be a port number from 1 to 65535 or a port name (IANA_SVC_NAME: 1-15 lowercase alphanumerics or '-', at least one letter, no '-' at either end or twice in a row)"));
            return null;
        }

        if (port.EndPort is not null)
        {
            errors.Add(new ConfigError($"{path}.endPort", null, port.EndPort.Value.ToString(CultureInfo.InvariantCulture), "may not be used with a named port"));
            return null;
        }

        return PolicyPort.Named(protocol, text);
    }

    /// <summary>The API's IANA_SVC_NAME check, shared with the container ports a named port resolves against.</summary>
    public static bool IsPortName(string name) =>
        name.Length is >= 1 and <= 15 && PortName().IsMatch(name) && name.Any(char.IsAsciiLetterLower) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PortName();
}
