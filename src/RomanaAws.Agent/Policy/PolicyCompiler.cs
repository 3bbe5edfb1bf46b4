using System.Security.Cryptography;
using System.Text;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>Options of the compiled policy.</summary>
public sealed record PolicyOptions
{
    /// <summary>Keep pods away from the instance metadata service (169.254.169.254), whatever the policies say. On by default.</summary>
    public bool BlockMetadataService { get; init; } = true;

    public static Cidr MetadataService { get; } = Cidr.Parse("169.254.169.254/32");
}

/// <summary>
/// Compiles NetworkPolicies to iptables over ipsets of block CIDRs. Pure. Shape of the rules:
/// <code>
/// FORWARD → ROMANA-FORWARD: established/related ACCEPT; src in this node's blocks → ROMANA-EGRESS;
///                           dst in this node's blocks → ROMANA-INGRESS
/// ROMANA-EGRESS:  metadata DROP; per owner selected for egress:  src in owner set → ROMANA-E-&lt;owner&gt;
/// ROMANA-E-…:     one line per (peer × port) of every policy selecting the owner → RETURN; then DROP
/// ROMANA-INGRESS: per owner selected for ingress: dst in owner set → ROMANA-I-&lt;owner&gt; (same shape)
/// </code>
/// Blocks belong to exactly one owner, so a packet enters at most one E- and one I- chain; rules grow with
/// policies and owners, not with pods. Set and chain names are stable hashes of what they stand for.
/// A node judges only its own pods' traffic (egress of pods in its blocks, ingress to them): a node that forwards for
/// its group sees one direction of a connection only (the reply may come back through another node of the other
/// group), so its conntrack cannot tell a reply from a new connection; each packet meets the policy exactly at the
/// source pod's node (egress) and the destination pod's node (ingress), where both directions pass.
/// </summary>
public static class PolicyCompiler
{
    public const string ForwardChain = "ROMANA-FORWARD";
    public const string EgressChain = "ROMANA-EGRESS";
    public const string IngressChain = "ROMANA-INGRESS";
    public const string AllPodsSet = "romana-all";
    public const string LocalPodsSet = "romana-local";

    /// <param name="policies">The NetworkPolicies in force.</param>
    /// <param name="owners">Every block of the cluster by owner.</param>
    /// <param name="local">This node's own blocks: the pods whose traffic this node judges.</param>
    /// <param name="options">Options.</param>
    public static CompiledPolicy Compile(IReadOnlyList<PolicySpec> policies, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, IReadOnlyList<Cidr> local, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        var sets = new SortedDictionary<string, IReadOnlyList<(Cidr Cidr, bool NoMatch)>>(StringComparer.Ordinal)
        {
            [AllPodsSet] = owners.Values.SelectMany(c => c).Distinct().Order().Select(c => (c, false)).ToList(),
            [LocalPodsSet] = local.Distinct().Order().Select(c => (c, false)).ToList(),
        };
        var chains = new List<(string Name, List<string> Rules)>
        {
            (ForwardChain, ["-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", $"-m set --match-set {LocalPodsSet} src -j {EgressChain}", $"-m set --match-set {LocalPodsSet} dst -j {IngressChain}"]),
        };
        var egress = new List<string>();
        if (options.BlockMetadataService)
        {
            egress.Add($"-m set --match-set {AllPodsSet} src -d {PolicyOptions.MetadataService} -j DROP");
        }

        var ingress = new List<string>();
        var peerMatches = new Dictionary<string, string?>(StringComparer.Ordinal);
        var byNamespace = policies.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        foreach (var owner in owners.Keys.Order(StringComparer.Ordinal))
        {
            var ownerSet = OwnerSet(sets, owner, owners[owner]);
            var selecting = byNamespace[OwnerMatch.Namespace(owner)].Where(p => p.Selects(owner)).OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
            AddDirection(selecting.Where(p => p.Egress).ToList(), p => p.EgressRules, "E", "dst", ownerSet, "src", owner, owners, sets, peerMatches, egress, chains);
            AddDirection(selecting.Where(p => p.Ingress).ToList(), p => p.IngressRules, "I", "src", ownerSet, "dst", owner, owners, sets, peerMatches, ingress, chains);
        }

        chains.Insert(1, (EgressChain, egress));
        chains.Insert(2, (IngressChain, ingress));
        var scripts = sets.ToDictionary(s => s.Key, s => SetScript(s.Key, s.Value), StringComparer.Ordinal);
        return new CompiledPolicy(string.Concat(sets.Keys.Select(k => scripts[k])), IptablesScript(chains), chains.Select(c => c.Name).ToList(), sets.Keys.ToList(), chains.Sum(c => c.Rules.Count))
        {
            SetScripts = scripts,
            SetEntries = sets.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value.Select(e => e.NoMatch ? $"{e.Cidr} nomatch" : e.Cidr.ToString()).ToList(), StringComparer.Ordinal),
        };
    }

    private static void AddDirection(
        List<PolicySpec> selecting, Func<PolicySpec, IReadOnlyList<PolicyRule>> rulesOf, string tag, string peerDirection, string ownerSet, string ownerDirection,
        string owner, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, SortedDictionary<string, IReadOnlyList<(Cidr, bool)>> sets,
        Dictionary<string, string?> peerMatches, List<string> dispatch, List<(string Name, List<string> Rules)> chains)
    {
        if (selecting.Count == 0)
        {
            return;
        }

        var chain = $"ROMANA-{tag}-{Hash(owner)}";
        dispatch.Add($"-m set --match-set {ownerSet} {ownerDirection} -j {chain}");
        var rules = new List<string>();
        foreach (var rule in selecting.SelectMany(rulesOf))
        {
            var peers = rule.Peers.Count == 0 ? [string.Empty] : rule.Peers.Select(p => CachedPeerMatch(p, peerDirection, owners, sets, peerMatches)).Where(m => m is not null).Cast<string>().ToList();
            var ports = rule.Ports.Count == 0 ? [string.Empty] : rule.Ports.Select(PortMatch).ToList();
            rules.AddRange(from peer in peers from port in ports select $"{peer}{port}-j RETURN".TrimStart());
        }

        rules.Add($"-m comment --comment \"{Comment(owner, selecting)}\" -j DROP");
        chains.Add((chain, rules.Distinct().ToList()));
    }

    /// <summary>
    /// A peer seen under many owners (one namespace's policy selects all its owners) is matched once: its set scans
    /// every owner, so recomputing it per selected owner made the compile quadratic.
    /// </summary>
    private static string? CachedPeerMatch(
        PolicyPeer peer, string direction, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, SortedDictionary<string, IReadOnlyList<(Cidr, bool)>> sets,
        Dictionary<string, string?> peerMatches)
    {
        var key = $"{direction} {peer.GetType().Name} {peer}";
        if (!peerMatches.TryGetValue(key, out var match))
        {
            match = PeerMatch(peer, direction, owners, sets);
            peerMatches[key] = match;
        }

        return match;
    }

    /// <summary>The match for a peer, or null when it selects no block at all (an owner nobody has yet).</summary>
    private static string? PeerMatch(PolicyPeer peer, string direction, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, SortedDictionary<string, IReadOnlyList<(Cidr, bool)>> sets)
    {
        switch (peer)
        {
            case OwnerPeer { Namespace: null, Segment: null }:
                return $"-m set --match-set {AllPodsSet} {direction} ";
            case OwnerPeer o:
                var cidrs = owners.Where(e => o.Matches(e.Key)).SelectMany(e => e.Value).Distinct().Order().Select(c => (c, false)).ToList();
                var name = $"romana-p-{Hash(o.ToString())}";
                sets[name] = cidrs;
                return $"-m set --match-set {name} {direction} ";
            case IpBlockPeer { Except.Count: 0 } block:
                return $"{(direction == "src" ? "-s" : "-d")} {block.Cidr} ";
            case IpBlockPeer block:
                var setName = $"romana-b-{Hash(block.ToString())}";
                sets[setName] = [(block.Cidr, false), .. block.Except.Order().Select(e => (e, true))];
                return $"-m set --match-set {setName} {direction} ";
            default:
                throw new ArgumentOutOfRangeException(nameof(peer), peer, null);
        }
    }

    private static string PortMatch(PolicyPort port)
    {
        var protocol = port.Protocol.ToLowerInvariant();
        return port.Port switch
        {
            null => $"-p {protocol} ",
            { } p when port.EndPort is { } end => $"-p {protocol} -m {protocol} --dport {p}:{end} ",
            { } p => $"-p {protocol} -m {protocol} --dport {p} ",
        };
    }

    private static string OwnerSet(SortedDictionary<string, IReadOnlyList<(Cidr, bool)>> sets, string owner, IReadOnlyList<Cidr> cidrs)
    {
        var name = $"romana-o-{Hash(owner)}";
        sets[name] = cidrs.Distinct().Order().Select(c => (c, false)).ToList();
        return name;
    }

    /// <summary>An iptables comment (at most 256 characters, no quotes) naming the owner and the policies that select it.</summary>
    private static string Comment(string owner, List<PolicySpec> policies)
    {
        var text = $"{owner}: default deny ({string.Join(",", policies.Select(p => p.Name))})".Replace("\"", string.Empty, StringComparison.Ordinal);
        return text.Length > 250 ? text[..250] : text;
    }

    /// <summary>8 hex digits of SHA-256: stable names within ipset's 31 and iptables' 28 characters.</summary>
    internal static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];

    /// <summary>One set: filled beside its live twin (<c>NAME-t</c>), then swapped in whole.</summary>
    private static string SetScript(string name, IReadOnlyList<(Cidr Cidr, bool NoMatch)> entries)
    {
        var text = new StringBuilder();
        var family = entries.Any(e => e.Cidr.IsIPv6) ? "inet6" : "inet";
        text.Append($"create {name}-t hash:net family {family} -exist\nflush {name}-t\n");
        foreach (var (cidr, noMatch) in entries)
        {
            text.Append($"add {name}-t {cidr}{(noMatch ? " nomatch" : string.Empty)}\n");
        }

        return text.Append($"create {name} hash:net family {family} -exist\nswap {name}-t {name}\ndestroy {name}-t\n").ToString();
    }

    private static string IptablesScript(List<(string Name, List<string> Rules)> chains)
    {
        var text = new StringBuilder("*filter\n");
        foreach (var (name, _) in chains)
        {
            text.Append($":{name} - [0:0]\n");
        }

        foreach (var (name, rules) in chains)
        {
            foreach (var rule in rules)
            {
                text.Append($"-A {name} {rule}\n");
            }
        }

        return text.Append("COMMIT\n").ToString();
    }
}
