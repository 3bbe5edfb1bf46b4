using RomanaAws.Agent.Policy;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Benchmarks;

/// <summary>
/// The scale: 10,000 pods in 100 namespaces under 200 policies with arbitrary label selectors (seeded).
/// Namespaces carry team (5) and env labels; pods app (10 values), tier (web/api/db) and a named port "http" that
/// means 8080 or 8081. Each namespace owns ten /28 blocks; the measured node holds two namespaces' blocks (200 pods).
/// </summary>
internal sealed class NetpolScenario
{
    public const int Namespaces = 100;
    public const int PodsPerNamespace = 100;
    public const int Policies = 200;
    private static readonly string[] Tiers = ["web", "api", "db"];

    public NetpolScenario(int seed = 13)
    {
        var random = new Random(seed);
        var namespaces = new List<NamespaceInfo>();
        var pods = new List<PodInfo>();
        var owners = new Dictionary<string, IReadOnlyList<Cidr>>(StringComparer.Ordinal);
        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"ns-{n}";
            namespaces.Add(NamespaceInfo.Of(ns, new Dictionary<string, string> { ["team"] = $"t{n % 5}", ["env"] = n % 3 == 0 ? "prod" : "dev" }));
            var blocks = Enumerable.Range(0, 10).Select(b => Cidr.FromNumber((100u << 24 | 64u << 16) + (uint)(((n * 10) + b) * 16), 28)).ToList();
            owners[ns] = blocks;
            for (var p = 0; p < PodsPerNamespace; p++)
            {
                var block = blocks[p / 10];
                var labels = new Dictionary<string, string> { ["app"] = $"a{p % 10}", ["tier"] = Tiers[p % 3] };
                pods.Add(new PodInfo(ns, $"pod-{p}", labels, Cidr.FromNumber(block.NetworkNumber + 1 + (uint)(p % 10), 32), [new NamedPort("http", "TCP", 8080 + (p % 2))]));
            }
        }

        Cluster = new ClusterView(namespaces, pods);
        Owners = owners;
        Local = [.. owners["ns-0"], .. owners["ns-1"]];
        PolicyList = [.. Enumerable.Range(0, Policies).Select(i => Policy(random, i))];
    }

    public ClusterView Cluster { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<Cidr>> Owners { get; }

    public IReadOnlyList<Cidr> Local { get; }

    public IReadOnlyList<PolicySpec> PolicyList { get; }

    /// <summary>
    /// What today's owner-only compiler could express of the same policies: every pod selector widened to its owner
    /// (whole namespaces), namespace selectors kept. Fewer sets, but it allows what the policies deny.
    /// </summary>
    public IReadOnlyList<PolicySpec> OwnerOnly() => [.. PolicyList.Select(p => p with
    {
        PodSelector = LabelSelector.Everything,
        IngressRules = [.. p.IngressRules.Select(Widen)],
        EgressRules = [.. p.EgressRules.Select(Widen)],
    })];

    /// <summary>
    /// Rules when every selected pod gets its own rules: per policy, per local target pod, one rule per (peer pod or
    /// CIDR × port) of each rule — what compiling selectors to addresses without sets costs.
    /// </summary>
    public long OnePerSelectedPod()
    {
        long total = 0;
        var namespaces = Cluster.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var policy in PolicyList)
        {
            var targets = Cluster.Pods.Count(p => p.Namespace == policy.Namespace && policy.PodSelector.Matches(p.Labels) && Local.Any(b => b.Contains(p.Address)));
            long perTarget = 0;
            foreach (var rule in policy.IngressRules.Concat(policy.EgressRules))
            {
                var peers = rule.Peers.Count == 0 ? 1 : rule.Peers.Sum(peer => peer switch
                {
                    PodPeer pods => Cluster.Pods.Count(p => pods.Pods.Matches(p.Labels) && (pods.Namespaces is null ? p.Namespace == policy.Namespace : pods.Namespaces.Matches(namespaces[p.Namespace].Labels))),
                    _ => 1,
                });
                perTarget += (long)Math.Max(1, peers) * Math.Max(1, rule.Ports.Count);
            }

            total += targets * (perTarget + 1);
        }

        return total;
    }

    private static PolicyRule Widen(PolicyRule rule) => rule with { Peers = [.. rule.Peers.Select(p => p is PodPeer pods ? new PodPeer(LabelSelector.Everything, pods.Namespaces) : p)] };

    private static PolicySpec Policy(Random random, int i)
    {
        var ns = $"ns-{i % Namespaces}";
        var target = random.Next(4) switch
        {
            0 => LabelSelector.Everything,
            1 => LabelSelectorParser.Parse($"app=a{random.Next(10)}"),
            2 => LabelSelectorParser.Parse($"tier in (web,api),app!=a{random.Next(10)}"),
            _ => LabelSelectorParser.Parse($"tier={Tiers[random.Next(3)]}"),
        };
        var from = random.Next(4) switch
        {
            0 => new PodPeer(LabelSelectorParser.Parse($"tier={Tiers[random.Next(3)]}"), null),
            1 => new PodPeer(LabelSelectorParser.Parse($"app in (a{random.Next(10)},a{random.Next(10)})"), LabelSelectorParser.Parse($"team=t{random.Next(5)}")),
            2 => new PodPeer(LabelSelector.Everything, LabelSelectorParser.Parse($"{ClusterView.NamespaceNameLabel}=ns-{random.Next(Namespaces)}")),
            _ => (PolicyPeer)new PodPeer(LabelSelectorParser.Parse("tier"), LabelSelectorParser.Parse("env=prod")),
        };
        var ports = random.Next(3) switch
        {
            0 => new[] { new PolicyPort("TCP", 8080, null) },
            1 => [PolicyPort.Named("TCP", "http")],
            _ => [new PolicyPort("TCP", 9000, 9100), new PolicyPort("UDP", 53, null)],
        };
        var egress = random.Next(4) == 0;
        return new PolicySpec($"p{i}", ns, target, Ingress: true, Egress: egress,
            [new PolicyRule([from], ports)],
            egress ? [new PolicyRule([new PodPeer(LabelSelector.Everything, LabelSelectorParser.Parse($"team=t{random.Next(5)}"))], [])] : []);
    }
}
