using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>The members of one ipset a rule matches, and what the set stands for (its name is a hash of that).</summary>
internal sealed record SetContent(string Key, IReadOnlyList<(Cidr Cidr, bool NoMatch)> Members);

/// <summary>
/// Resolves selectors to ipset contents. Pure. Where a pod selector is exactly an owner's (<c>{}</c>: every owner of the
/// namespaces; <c>romana.io/segment: S</c>: their <c>ns/S</c> owners) the set holds the owners' block CIDRs, which do
/// not change as pods come and go; any other pod selector gives the selected pods' /32s. Namespace selectors resolve
/// to namespace names by their labels, so selecting namespaces alone always stays at block CIDRs. A set is named by
/// its selectors, never by its members: members change, rules do not.
/// </summary>
internal sealed class PolicySelections
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<Cidr>> _owners;
    private readonly IReadOnlyList<Cidr> _local;
    private readonly IReadOnlyList<NamespaceInfo> _namespaces;
    private readonly ILookup<string, PodInfo> _podsByNamespace;
    private readonly IReadOnlyList<PodInfo> _pods;
    private readonly Dictionary<string, SetContent> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Protocol), ILookup<int, Cidr>> _namedPorts = [];

    public PolicySelections(ClusterView cluster, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, IReadOnlyList<Cidr> local)
    {
        _owners = owners;
        _local = local;
        var known = cluster.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var name in owners.Keys.Select(OwnerNamespace).Concat(cluster.Pods.Select(p => p.Namespace)).Where(n => !known.ContainsKey(n)).ToList())
        {
            known[name] = NamespaceInfo.Of(name);
        }

        _namespaces = [.. known.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
        _pods = cluster.Pods;
        _podsByNamespace = cluster.Pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
    }

    /// <summary>The pods a policy applies to on this node (its own pods only: other nodes judge theirs).</summary>
    public SetContent Target(PolicySpec policy) => Select(policy.PodSelector, null, policy.Namespace, localOnly: true);

    /// <summary>The pods a peer selects anywhere in the cluster.</summary>
    public SetContent Peer(PodPeer peer, string policyNamespace) => Select(peer.Pods, peer.Namespaces, policyNamespace, localOnly: false);

    /// <summary>The pods whose container port <paramref name="name"/> is <paramref name="protocol"/>/<paramref name="port"/>.</summary>
    public SetContent NamedPort(string name, string protocol, int port) =>
        Cached($"port {name}/{protocol}={port}", () => Members(NamedPorts(name, protocol)[port]));

    /// <summary>The port numbers a named port means on some pod, for <paramref name="protocol"/>.</summary>
    public IReadOnlyList<int> NamedPortNumbers(string name, string protocol) => [.. NamedPorts(name, protocol).Select(g => g.Key).Order()];

    /// <summary>Pods by the number a named port means on them (computed once per name and protocol).</summary>
    private ILookup<int, Cidr> NamedPorts(string name, string protocol)
    {
        if (!_namedPorts.TryGetValue((name, protocol), out var lookup))
        {
            lookup = _pods.SelectMany(p => p.Ports.Where(n => n.Name == name && n.Protocol == protocol).Select(n => (n.Port, p.Address))).Distinct().ToLookup(e => e.Port, e => e.Address);
            _namedPorts[(name, protocol)] = lookup;
        }

        return lookup;
    }

    /// <summary>A set computed once per compile: many policies share selectors (and a set is named by what it selects).</summary>
    private SetContent Cached(string key, Func<IReadOnlyList<(Cidr, bool)>> members)
    {
        if (!_cache.TryGetValue(key, out var content))
        {
            content = new SetContent(key, members());
            _cache[key] = content;
        }

        return content;
    }

    private SetContent Select(LabelSelector pods, LabelSelector? namespaces, string policyNamespace, bool localOnly)
    {
        var namespaceKey = namespaces is null ? $"={policyNamespace}" : $"[{namespaces}]";
        var ownerShortcut = pods.IsEverything || pods.Exactly(ClusterView.SegmentLabel) is not null;
        var key = ownerShortcut ? $"owners ns{namespaceKey} pods[{pods}]" : $"pods ns{namespaceKey} pods[{pods}]{(localOnly ? " local" : string.Empty)}";
        return Cached(key, () => Resolve(pods, namespaces, policyNamespace, localOnly, ownerShortcut));
    }

    private List<(Cidr, bool)> Resolve(LabelSelector pods, LabelSelector? namespaces, string policyNamespace, bool localOnly, bool ownerShortcut)
    {
        var names = namespaces is null ? new HashSet<string>([policyNamespace], StringComparer.Ordinal)
            : namespaces.Exactly(ClusterView.NamespaceNameLabel) is { } only && namespaces.Requirements.Count == 1 ? new HashSet<string>([only], StringComparer.Ordinal)
            : _namespaces.Where(n => namespaces.Matches(n.Labels)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (ownerShortcut)
        {
            var segment = pods.Exactly(ClusterView.SegmentLabel);
            return Members(_owners.Where(o => names.Contains(OwnerNamespace(o.Key)) && (segment is null || OwnerSegment(o.Key) == segment)).SelectMany(o => o.Value));
        }

        var selected = names.SelectMany(n => _podsByNamespace[n]).Where(p => pods.Matches(p.Labels)).Select(p => p.Address);
        return Members(localOnly ? selected.Where(IsLocal) : selected);
    }

    private bool IsLocal(Cidr address) => _local.Any(block => block.Contains(address));

    private static List<(Cidr, bool)> Members(IEnumerable<Cidr> cidrs) => [.. cidrs.Distinct().Order().Select(c => (c, false))];

    internal static string OwnerNamespace(string owner) => owner.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? owner[..slash] : owner;

    private static string? OwnerSegment(string owner) => owner.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? owner[(slash + 1)..] : null;
}
