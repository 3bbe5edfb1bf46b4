using RomanaAws.Agent.Policy;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Policy;

public sealed class PolicyCompilerTests
{
    private static readonly Dictionary<string, IReadOnlyList<Cidr>> Owners = new()
    {
        ["shop"] = [Cidr.Parse("100.96.0.0/28")],
        ["shop/web"] = [Cidr.Parse("100.96.0.16/28"), Cidr.Parse("100.96.1.0/28")],
        ["ingress"] = [Cidr.Parse("100.104.0.0/28")],
    };

    private static readonly IReadOnlyList<Cidr> Local = [Cidr.Parse("100.96.0.16/28"), Cidr.Parse("100.96.0.0/28")];

    private static readonly PolicySpec WebAllow = new("web-allow", "shop", "web", Ingress: true, Egress: false,
        [new PolicyRule([new OwnerPeer("ingress", null), new IpBlockPeer(Cidr.Parse("10.0.0.0/8"), [Cidr.Parse("10.1.0.0/16")])], [new PolicyPort("TCP", 8080, null)])], []);

    private static readonly PolicySpec DenyEgress = new("deny-egress", "shop", null, Ingress: false, Egress: true, [], []);

    [Fact]
    public void Compile_Golden()
    {
        var compiled = PolicyCompiler.Compile([WebAllow, DenyEgress], Owners, Local, new PolicyOptions());
        string H(string s) => PolicyCompiler.Hash(s);
        Assert.Equal($"""
            *filter
            :ROMANA-FORWARD - [0:0]
            :ROMANA-EGRESS - [0:0]
            :ROMANA-INGRESS - [0:0]
            :ROMANA-E-{H("shop")} - [0:0]
            :ROMANA-E-{H("shop/web")} - [0:0]
            :ROMANA-I-{H("shop/web")} - [0:0]
            -A ROMANA-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A ROMANA-FORWARD -m set --match-set romana-local src -j ROMANA-EGRESS
            -A ROMANA-FORWARD -m set --match-set romana-local dst -j ROMANA-INGRESS
            -A ROMANA-EGRESS -m set --match-set romana-all src -d 169.254.169.254/32 -j DROP
            -A ROMANA-EGRESS -m set --match-set romana-o-{H("shop")} src -j ROMANA-E-{H("shop")}
            -A ROMANA-EGRESS -m set --match-set romana-o-{H("shop/web")} src -j ROMANA-E-{H("shop/web")}
            -A ROMANA-INGRESS -m set --match-set romana-o-{H("shop/web")} dst -j ROMANA-I-{H("shop/web")}
            -A ROMANA-E-{H("shop")} -m comment --comment "shop: default deny (deny-egress)" -j DROP
            -A ROMANA-E-{H("shop/web")} -m comment --comment "shop/web: default deny (deny-egress)" -j DROP
            -A ROMANA-I-{H("shop/web")} -m set --match-set romana-p-{H("ingress/*")} src -p tcp -m tcp --dport 8080 -j RETURN
            -A ROMANA-I-{H("shop/web")} -m set --match-set romana-b-{H("10.0.0.0/8 except 10.1.0.0/16")} src -p tcp -m tcp --dport 8080 -j RETURN
            -A ROMANA-I-{H("shop/web")} -m comment --comment "shop/web: default deny (web-allow)" -j DROP
            COMMIT

            """.ReplaceLineEndings("\n"), compiled.IptablesRestore);
        Assert.Contains($"create romana-b-{H("10.0.0.0/8 except 10.1.0.0/16")}-t hash:net family inet -exist\n", compiled.IpsetRestore, StringComparison.Ordinal);
        Assert.Contains("add romana-b-" + H("10.0.0.0/8 except 10.1.0.0/16") + "-t 10.1.0.0/16 nomatch\n", compiled.IpsetRestore, StringComparison.Ordinal);
        Assert.Contains($"add romana-o-{H("shop/web")}-t 100.96.0.16/28\nadd romana-o-{H("shop/web")}-t 100.96.1.0/28\n", compiled.IpsetRestore, StringComparison.Ordinal);
        Assert.Contains($"swap romana-o-{H("shop/web")}-t romana-o-{H("shop/web")}\ndestroy romana-o-{H("shop/web")}-t\n", compiled.IpsetRestore, StringComparison.Ordinal);
        Assert.Equal(12, compiled.RuleCount);
        Assert.Equal(["100.96.0.0/28", "100.96.0.16/28"], compiled.SetEntries[PolicyCompiler.LocalPodsSet]);
    }

    [Fact]
    public void Compile_NoPolicies_OnlyTheMetadataGuard()
    {
        var compiled = PolicyCompiler.Compile([], Owners, Local, new PolicyOptions());
        Assert.Contains("-A ROMANA-EGRESS -m set --match-set romana-all src -d 169.254.169.254/32 -j DROP\n", compiled.IptablesRestore, StringComparison.Ordinal);
        Assert.Equal(4, compiled.RuleCount);
        Assert.Equal(3, PolicyCompiler.Compile([], Owners, Local, new PolicyOptions { BlockMetadataService = false }).RuleCount);
    }

    [Fact]
    public void RuleCount_GrowsWithPoliciesAndOwners_NotPods()
    {
        // 100 namespaces, 200 policies: doubling the blocks (pods) of every owner leaves the rule count unchanged.
        var owners = Enumerable.Range(0, 100).ToDictionary(i => $"ns-{i}", i => (IReadOnlyList<Cidr>)[Cidr.Parse($"100.{96 + (i / 64)}.{i % 64 * 4}.0/28")]);
        var policies = Enumerable.Range(0, 200).Select(i => new PolicySpec($"p{i}", $"ns-{i % 100}", null, true, false,
            [new PolicyRule([new OwnerPeer($"ns-{(i + 1) % 100}", null)], [new PolicyPort("TCP", 80 + (i / 100), null)])], [])).ToList();
        var small = PolicyCompiler.Compile(policies, owners, Local, new PolicyOptions());
        var doubled = owners.ToDictionary(o => o.Key, o => (IReadOnlyList<Cidr>)[.. o.Value, Cidr.Parse($"100.{110 + (int.Parse(o.Key[3..], System.Globalization.CultureInfo.InvariantCulture) / 64)}.{int.Parse(o.Key[3..], System.Globalization.CultureInfo.InvariantCulture) % 64 * 4}.0/28")]);
        Assert.Equal(small.RuleCount, PolicyCompiler.Compile(policies, doubled, Local, new PolicyOptions()).RuleCount);
        Assert.Equal(3 + 1 + 100 + (100 * 3), small.RuleCount);
    }

    [Theory]
    [InlineData("shop", "shop", null, true)]
    [InlineData("shop/web", "shop", null, true)]
    [InlineData("shop/web", "shop", "web", true)]
    [InlineData("shop", "shop", "web", false)]
    [InlineData("shop/api", "shop", "web", false)]
    [InlineData("shopping", "shop", null, false)]
    [InlineData("sho", "shop", null, false)]
    public void Selects_ByNamespaceAndSegment(string owner, string @namespace, string? segment, bool selected) =>
        Assert.Equal(selected, new PolicySpec("p", @namespace, segment, true, false, [], []).Selects(owner));

    [Fact]
    public void Compile_PeerSharedByPolicies_OneSetWithEveryBlockOfThePeer()
    {
        var peer = new PolicyRule([new OwnerPeer("ingress", null)], []);
        var first = new PolicySpec("a", "shop", null, true, false, [peer], []);
        var second = new PolicySpec("b", "shop", "web", true, false, [peer], []);
        var compiled = PolicyCompiler.Compile([first, second], Owners, Local, new PolicyOptions());
        var set = $"romana-p-{PolicyCompiler.Hash("ingress/*")}";
        Assert.Equal(["100.104.0.0/28"], compiled.SetEntries[set]);
        Assert.Equal(2, compiled.IptablesRestore.Split('\n').Count(l => l.Contains($"--match-set {set} src -j RETURN", StringComparison.Ordinal)));
    }
}
