using RomanaAws.Agent.Policy;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Policy;

public sealed class PolicyCompilerTests
{
    private static string H(string s) => PolicyCompiler.Hash(s);

    /// <summary>The shape, kept small: one policy with an owner-exact peer, an arbitrary pod selector and a named port.</summary>
    [Fact]
    public void Compile_Golden()
    {
        var world = new NetpolWorld();
        var policy = PolicyReader.Parse("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: web, namespace: x }
            spec:
              podSelector: { matchExpressions: [{ key: pod, operator: In, values: [a, b] }] }
              ingress:
                - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: y } } }]
                  ports: [{ port: serve-80-tcp }]
            """, "golden").Policies;
        var compiled = PolicyCompiler.Compile(policy, world.Cluster, world.Owners, [Cidr.Parse("100.96.0.0/28")], new PolicyOptions());
        var target = $"romana-t-{H("pods ns=x pods[pod in (a,b)] local")}";
        var peer = $"romana-p-{H("owners ns[kubernetes.io/metadata.name=y] pods[]")}";
        var named = $"romana-n-{H("port serve-80-tcp/TCP=80")}";
        Assert.Equal($"""
            *filter
            :ROMANA-FORWARD - [0:0]
            :ROMANA-EGRESS - [0:0]
            :ROMANA-INGRESS - [0:0]
            :ROMANA-IP-{H("x/web")} - [0:0]
            -A ROMANA-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A ROMANA-FORWARD -m set --match-set romana-local src -j ROMANA-EGRESS
            -A ROMANA-FORWARD -m set --match-set romana-local dst -j ROMANA-INGRESS
            -A ROMANA-EGRESS -m set --match-set romana-all src -d 169.254.169.254/32 -j DROP
            -A ROMANA-INGRESS -j MARK --set-xmark 0x0/0x60000
            -A ROMANA-INGRESS -m set --match-set {target} dst -j ROMANA-IP-{H("x/web")}
            -A ROMANA-INGRESS -m mark --mark 0x40000/0x60000 -m comment --comment "selected by a policy, allowed by none" -j DROP
            -A ROMANA-IP-{H("x/web")} -m comment --comment "policy x/web" -j MARK --set-xmark 0x40000/0x40000
            -A ROMANA-IP-{H("x/web")} -m set --match-set {peer} src -m set --match-set {named} dst -p tcp -m tcp --dport 80 -j MARK --set-xmark 0x20000/0x20000
            COMMIT

            """.ReplaceLineEndings("\n"), compiled.IptablesRestore);
        Assert.Equal(["100.96.0.1/32", "100.96.0.2/32"], compiled.SetEntries[target]);
        Assert.Equal(["100.96.1.0/28", "100.96.1.16/28"], compiled.SetEntries[peer]);
        Assert.Equal(9, compiled.SetEntries[named].Count);
        Assert.Contains($"swap {target}-t {target}\ndestroy {target}-t\n", compiled.IpsetRestore, StringComparison.Ordinal);
        Assert.Equal(9, compiled.RuleCount);
    }

    [Fact]
    public void Compile_NoPolicies_OnlyTheMetadataGuard()
    {
        var world = new NetpolWorld();
        var compiled = PolicyCompiler.Compile([], world.Cluster, world.Owners, world.AllBlocks, new PolicyOptions());
        Assert.Equal(4, compiled.RuleCount);
        Assert.Equal(3, PolicyCompiler.Compile([], world.Cluster, world.Owners, world.AllBlocks, new PolicyOptions { BlockMetadataService = false }).RuleCount);
    }

    /// <summary>Pods fill sets; rules do not change when pods come, go or are relabelled, only when policies do.</summary>
    [Fact]
    public void Rules_DependOnPoliciesOnly_PodsOnlyFillSets()
    {
        var policies = Enumerable.Range(0, 50).Select(i => new PolicySpec($"p{i}", $"ns-{i % 10}", LabelSelectorParser.Parse($"app=a{i % 7}"), true, i % 2 == 0,
            [new PolicyRule([new PodPeer(LabelSelectorParser.Parse("tier in (web,api)"), LabelSelectorParser.Parse($"team=t{i % 3}"))], [new PolicyPort("TCP", 8080, null)])],
            [new PolicyRule([new PodPeer(LabelSelector.Everything, null)], [])])).ToList();
        var owners = Enumerable.Range(0, 10).ToDictionary(n => $"ns-{n}", n => (IReadOnlyList<Cidr>)[Cidr.Parse($"100.96.{n}.0/24")]);
        ClusterView Pods(int count, string tier) => new(
            [.. Enumerable.Range(0, 10).Select(n => NamespaceInfo.Of($"ns-{n}", new Dictionary<string, string> { ["team"] = $"t{n % 3}" }))],
            [.. Enumerable.Range(0, count).Select(p => new PodInfo($"ns-{p % 10}", $"pod-{p}", new Dictionary<string, string> { ["app"] = $"a{p % 7}", ["tier"] = tier }, Cidr.Parse($"100.96.{p % 10}.{(p / 10) + 1}/32"), []))]);
        var few = PolicyCompiler.Compile(policies, Pods(20, "web"), owners, [owners["ns-0"][0]], new PolicyOptions());
        var many = PolicyCompiler.Compile(policies, Pods(2000 / 10, "api"), owners, [owners["ns-0"][0]], new PolicyOptions());
        Assert.Equal(few.IptablesRestore, many.IptablesRestore);
        Assert.True(many.SetEntries.Values.Sum(v => v.Count) > few.SetEntries.Values.Sum(v => v.Count));
        Assert.Equal(3 + 1 + 2 + 50 + 2 + 25 + (50 * 2) + (25 * 2), few.RuleCount);
    }
}
