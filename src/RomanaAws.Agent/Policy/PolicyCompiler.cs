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
/// Compiles NetworkPolicies to iptables over ipsets. Pure. Shape of the rules (M = the two mark bits below):
/// <code>
/// FORWARD → ROMANA-FORWARD: established/related ACCEPT; src in this node's blocks → ROMANA-EGRESS;
///                           dst in this node's blocks → ROMANA-INGRESS
/// ROMANA-EGRESS:  metadata DROP; clear M; per policy isolating egress: src in its pods' set → ROMANA-EP-&lt;policy&gt;;
///                 selected but not allowed → DROP
/// ROMANA-EP-…:    mark selected; one line per (peer × port) of each rule → mark allowed
/// ROMANA-INGRESS: the same with dst, ROMANA-IP-&lt;policy&gt; and src peers
/// </code>
/// Policies are additive: a packet is dropped when some policy selects its pod for that direction and none allows it,
/// which is what the two mark bits record. Rules grow with policies and their rules, never with pods: pods only fill
/// sets (<see cref="PolicySelections"/>). Set and chain names are stable hashes of what they stand for.
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

    /// <summary>Packet mark bit: some rule of a policy selecting the pod allowed it. Clear of kube-proxy's 0x4000/0x8000.</summary>
    public const int AllowedMark = 0x20000;

    /// <summary>Packet mark bit: some policy selects the pod for this direction.</summary>
    public const int SelectedMark = 0x40000;

    private const string Both = "0x60000";

    /// <param name="policies">The NetworkPolicies in force.</param>
    /// <param name="cluster">Namespaces and pods with their labels (what non-owner selectors select).</param>
    /// <param name="owners">Every block of the cluster by owner.</param>
    /// <param name="local">This node's own blocks: the pods whose traffic this node judges.</param>
    /// <param name="options">Options.</param>
    public static CompiledPolicy Compile(
        IReadOnlyList<PolicySpec> policies, ClusterView cluster, IReadOnlyDictionary<string, IReadOnlyList<Cidr>> owners, IReadOnlyList<Cidr> local, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(cluster);
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
        var context = new Context(new PolicySelections(cluster, owners, local), sets);
        var ordered = policies.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var egress = options.BlockMetadataService ? [$"-m set --match-set {AllPodsSet} src -d {PolicyOptions.MetadataService} -j DROP"] : new List<string>();
        egress.AddRange(Direction(ordered.Where(p => p.Egress).ToList(), p => p.EgressRules, "EP", peer: "dst", target: "src", context, chains));
        var ingress = Direction(ordered.Where(p => p.Ingress).ToList(), p => p.IngressRules, "IP", peer: "src", target: "dst", context, chains);
        chains.Insert(1, (EgressChain, egress));
        chains.Insert(2, (IngressChain, ingress));
        var scripts = sets.ToDictionary(s => s.Key, s => SetScript(s.Key, s.Value), StringComparer.Ordinal);
        return new CompiledPolicy(string.Concat(sets.Keys.Select(k => scripts[k])), IptablesScript(chains), chains.Select(c => c.Name).ToList(), sets.Keys.ToList(), chains.Sum(c => c.Rules.Count))
        {
            SetScripts = scripts,
            SetEntries = sets.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value.Select(e => e.NoMatch ? $"{e.Cidr} nomatch" : e.Cidr.ToString()).ToList(), StringComparer.Ordinal),
        };
    }

    private sealed record Context(PolicySelections Selections, SortedDictionary<string, IReadOnlyList<(Cidr Cidr, bool NoMatch)>> Sets)
    {
        /// <summary>The set's name (a hash of what it stands for), adding it on first use.</summary>
        public string Use(SetContent content, string prefix)
        {
            var name = $"romana-{prefix}-{Hash(content.Key)}";
            Sets[name] = content.Members;
            return name;
        }
    }

    /// <summary>The dispatch lines of one direction (ROMANA-EGRESS or ROMANA-INGRESS); adds each policy's chain.</summary>
    private static List<string> Direction(
        List<PolicySpec> selecting, Func<PolicySpec, IReadOnlyList<PolicyRule>> rulesOf, string tag, string peer, string target, Context context, List<(string Name, List<string> Rules)> chains)
    {
        if (selecting.Count == 0)
        {
            return [];
        }

        var dispatch = new List<string> { $"-j MARK --set-xmark 0x0/{Both}" };
        foreach (var policy in selecting)
        {
            var chain = $"ROMANA-{tag}-{Hash(policy.Key)}";
            var targetSet = context.Use(context.Selections.Target(policy), "t");
            dispatch.Add($"-m set --match-set {targetSet} {target} -j {chain}");
            var rules = new List<string> { $"-m comment --comment \"{Comment(policy)}\" -j MARK --set-xmark {Hex(SelectedMark)}/{Hex(SelectedMark)}" };
            foreach (var rule in rulesOf(policy))
            {
                var peers = rule.Peers.Count == 0 ? [string.Empty] : rule.Peers.Select(p => PeerMatch(p, policy.Namespace, peer, context)).ToList();
                var ports = rule.Ports.Count == 0 ? [string.Empty] : rule.Ports.SelectMany(p => PortMatches(p, context)).ToList();
                rules.AddRange(from p in peers from port in ports select $"{p}{port}-j MARK --set-xmark {Hex(AllowedMark)}/{Hex(AllowedMark)}".TrimStart());
            }

            chains.Add((chain, rules.Distinct().ToList()));
        }

        dispatch.Add($"-m mark --mark {Hex(SelectedMark)}/{Both} -m comment --comment \"selected by a policy, allowed by none\" -j DROP");
        return dispatch;
    }

    private static string PeerMatch(PolicyPeer peer, string policyNamespace, string direction, Context context) => peer switch
    {
        PodPeer { Pods.IsEverything: true, Namespaces.IsEverything: true } => $"-m set --match-set {AllPodsSet} {direction} ",
        PodPeer pods => $"-m set --match-set {context.Use(context.Selections.Peer(pods, policyNamespace), "p")} {direction} ",
        IpBlockPeer { Except.Count: 0 } block => $"{(direction == "src" ? "-s" : "-d")} {block.Cidr} ",
        IpBlockPeer block => $"-m set --match-set {context.Use(new SetContent($"block {block}", [(block.Cidr, false), .. block.Except.Order().Select(e => (e, true))]), "b")} {direction} ",
        _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, null),
    };

    /// <summary>
    /// The port matches of one policy port. A named port becomes one match per number it means on some pod, each limited
    /// to the pods where it means that number (the destination decides, as upstream); a name no pod has matches nothing.
    /// </summary>
    private static IEnumerable<string> PortMatches(PolicyPort port, Context context)
    {
        var protocol = port.Protocol.ToLowerInvariant();
        if (port.Name is { } name)
        {
            return context.Selections.NamedPortNumbers(name, port.Protocol)
                .Select(n => $"-m set --match-set {context.Use(context.Selections.NamedPort(name, port.Protocol, n), "n")} dst -p {protocol} -m {protocol} --dport {n} ");
        }

        return [port.Port switch
        {
            null => $"-p {protocol} ",
            { } p when port.EndPort is { } end => $"-p {protocol} -m {protocol} --dport {p}:{end} ",
            { } p => $"-p {protocol} -m {protocol} --dport {p} ",
        }];
    }

    /// <summary>An iptables comment (at most 256 characters, no quotes) naming the policy.</summary>
    private static string Comment(PolicySpec policy)
    {
        var text = $"policy {policy.Key}".Replace("\"", string.Empty, StringComparison.Ordinal);
        return text.Length > 250 ? text[..250] : text;
    }

    private static string Hex(int mark) => $"0x{mark:x}";

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
