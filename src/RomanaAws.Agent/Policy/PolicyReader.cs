using System.Globalization;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>
/// Reads Kubernetes NetworkPolicy YAML (one or more documents per file) into <see cref="PolicySpec"/>s. What the
/// block model cannot enforce (pod labels other than <c>romana.io/segment</c>, namespace labels other than
/// <c>kubernetes.io/metadata.name</c>, named ports) is refused with the field and the reason, never ignored.
/// </summary>
public static class PolicyReader
{
    public const string SegmentLabel = "romana.io/segment";
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static IReadOnlyList<PolicySpec> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<ConfigError>();
        var policies = new List<PolicySpec>();
        var documents = text.Split(["\n---"], StringSplitOptions.RemoveEmptyEntries).Where(d => !string.IsNullOrWhiteSpace(d.Trim('-', '\n', '\r', ' ')));
        foreach (var document in documents)
        {
            var root = ConfigDocumentReader.Read(document, source);
            if (Policy(root, errors) is { } policy)
            {
                policies.Add(policy);
            }
        }

        return errors.Count > 0 ? throw new ConfigException(source, errors) : policies;
    }

    private static PolicySpec? Policy(ConfigNode root, List<ConfigError> errors)
    {
        var reader = MappingReader.Open(root, errors, "apiVersion", "kind", "metadata", "spec");
        if (reader is null)
        {
            return null;
        }

        if (reader.Text("kind", required: true) is { } kind && kind != "NetworkPolicy")
        {
            reader.Error("kind", "must be NetworkPolicy");
        }

        var metadata = reader.Node("metadata") is { } m ? MappingReader.Open(m, errors, "name", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation", "creationTimestamp") : null;
        var name = metadata?.Text("name", required: true);
        var ns = metadata?.Text("namespace", required: false) ?? "default";
        var spec = reader.Node("spec") is { } s ? MappingReader.Open(s, errors, "podSelector", "policyTypes", "ingress", "egress") : null;
        if (spec is null || name is null)
        {
            if (spec is null)
            {
                reader.Error("spec", "is required");
            }

            return null;
        }

        var segment = Selector(spec.Node("podSelector"), SegmentLabel, errors, "pod");
        var ingress = (spec.List("ingress", required: false) ?? []).Select(r => Rule(r, "from", ns, errors)).OfType<PolicyRule>().ToList();
        var egress = (spec.List("egress", required: false) ?? []).Select(r => Rule(r, "to", ns, errors)).OfType<PolicyRule>().ToList();
        var types = spec.List("policyTypes", required: false)?.Select(t => (t as ConfigScalar)?.Value).ToList();
        foreach (var bad in types?.Where(t => t is not ("Ingress" or "Egress")) ?? [])
        {
            spec.Error("policyTypes", $"'{bad}' must be Ingress or Egress");
        }

        var hasIngress = types?.Contains("Ingress") ?? true;
        var hasEgress = types?.Contains("Egress") ?? egress.Count > 0;
        return new PolicySpec(name, ns, segment.Value, hasIngress, hasEgress, ingress, egress);
    }

    private static PolicyRule? Rule(ConfigNode node, string peersKey, string policyNamespace, List<ConfigError> errors)
    {
        var reader = MappingReader.Open(node, errors, peersKey, "ports");
        if (reader is null)
        {
            return null;
        }

        var peers = new List<PolicyPeer>();
        foreach (var peerNode in reader.List(peersKey, required: false) ?? [])
        {
            var peer = MappingReader.Open(peerNode, errors, "podSelector", "namespaceSelector", "ipBlock");
            if (peer is null)
            {
                continue;
            }

            if (peer.Node("ipBlock") is { } ipBlock)
            {
                if (peer.Node("podSelector") is not null || peer.Node("namespaceSelector") is not null)
                {
                    peer.Error("ipBlock", "cannot be combined with podSelector or namespaceSelector in one peer");
                }

                var block = MappingReader.Open(ipBlock, errors, "cidr", "except");
                if (block?.Text("cidr", required: true) is { } cidrText && Cidr.TryParse(cidrText, out var cidr, out var error))
                {
                    var except = (block.List("except", required: false) ?? []).Select(e => (e as ConfigScalar)?.Value is { } t && Cidr.TryParse(t, out var c) ? c : (Cidr?)null).ToList();
                    if (except.Any(e => e is null || !cidr.Contains(e.Value)))
                    {
                        block.Error("except", $"every entry must be a CIDR inside {cidr}");
                    }

                    peers.Add(new IpBlockPeer(cidr, except.OfType<Cidr>().ToList()));
                }
                else if (block is not null && block.Text("cidr", required: false) is { } bad)
                {
                    _ = Cidr.TryParse(bad, out _, out var why);
                    block.Error("cidr", why);
                }

                continue;
            }

            var segment = Selector(peer.Node("podSelector"), SegmentLabel, errors, "pod");
            var hasNamespaceSelector = peer.Node("namespaceSelector") is not null;
            var ns = Selector(peer.Node("namespaceSelector"), NamespaceNameLabel, errors, "namespace");
            peers.Add(new OwnerPeer(hasNamespaceSelector ? ns.Value : policyNamespace, segment.Value));
        }

        var ports = new List<PolicyPort>();
        foreach (var portNode in reader.List("ports", required: false) ?? [])
        {
            var port = MappingReader.Open(portNode, errors, "protocol", "port", "endPort");
            if (port is null)
            {
                continue;
            }

            var protocol = port.Text("protocol", required: false) ?? "TCP";
            if (protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                port.Error("protocol", "must be TCP, UDP or SCTP");
            }

            var portText = port.Text("port", required: false);
            int? number = null;
            if (portText is not null)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 65535)
                {
                    port.Error("port", "must be a port number from 1 to 65535 (named ports are not supported: a block's pods share no port names)");
                }
                else
                {
                    number = n;
                }
            }

            int? end = port.Node("endPort") is null ? null : port.Number("endPort", 0, 1, 65535);
            if (end is not null && (number is null || end < number))
            {
                port.Error("endPort", "needs a port and must not be below it");
            }

            ports.Add(new PolicyPort(protocol, number, end));
        }

        return new PolicyRule(peers, ports);
    }

    /// <summary>
    /// A label selector reduced to the one label RomanaAws can match: null value for "all" ({} or absent),
    /// the label's value otherwise. Any other label or matchExpressions is an error naming it.
    /// </summary>
    private static (string? Value, bool Ok) Selector(ConfigNode? node, string label, List<ConfigError> errors, string what)
    {
        if (node is null or ConfigScalar { IsNull: true })
        {
            return (null, true);
        }

        var selector = MappingReader.Open(node, errors, "matchLabels", "matchExpressions");
        if (selector is null)
        {
            return (null, false);
        }

        if (selector.Node("matchExpressions") is ConfigSequence { Items.Count: > 0 })
        {
            selector.Error("matchExpressions", $"is not supported; select {what}s with matchLabels {{{label}: …}}");
        }

        if (selector.Node("matchLabels") is not ConfigMapping labels)
        {
            return (null, true);
        }

        string? value = null;
        foreach (var entry in labels.Entries)
        {
            if (entry.Key == label && entry.Value is ConfigScalar { Value: { } v })
            {
                value = v;
            }
            else
            {
                errors.Add(new ConfigError($"{labels.Path}.{entry.Key}", entry.Line, null,
                    $"{what} label '{entry.Key}' cannot be enforced: RomanaAws matches whole blocks, owned per namespace and segment; select with {label}"));
            }
        }

        return (value, true);
    }
}
