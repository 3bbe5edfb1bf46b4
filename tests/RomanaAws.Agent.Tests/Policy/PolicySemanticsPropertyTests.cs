using RomanaAws.Agent.Policy;
using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Policy;

/// <summary>
/// Random policies over random labels, named ports that mean different numbers on different pods, and nodes holding
/// random subsets of the blocks: the compiled rules must agree with the API's semantics on every probe (seeded, so a
/// failure repeats). Each of the compiler's shortcuts (owner sets, all-pods set, namespace-only selection) is drawn.
/// </summary>
public sealed class PolicySemanticsPropertyTests
{
    private static readonly LabelSelector[] PodSelectors =
    [
        LabelSelector.Everything,
        LabelSelectorParser.Parse("pod=a"),
        LabelSelectorParser.Parse("pod in (a,b)"),
        LabelSelectorParser.Parse("pod notin (c)"),
        LabelSelectorParser.Parse("app"),
        LabelSelectorParser.Parse("!app"),
        LabelSelectorParser.Parse("app=web,pod!=b"),
        LabelSelectorParser.Parse("romana.io/segment=s"),
        LabelSelectorParser.Parse("romana.io/segment=other"),
    ];

    private static readonly LabelSelector?[] NamespaceSelectors =
    [
        null,
        LabelSelector.Everything,
        LabelSelectorParser.Parse("ns=y"),
        LabelSelectorParser.Parse("kubernetes.io/metadata.name=z"),
        LabelSelectorParser.Parse("ns in (x,z)"),
        LabelSelectorParser.Parse("team"),
        LabelSelectorParser.Parse("team notin (blue)"),
    ];

    [Fact]
    public void RandomPolicies_RulesAgreeWithTheApiSemantics_OnEveryProbe()
    {
        var random = new Random(1313);
        for (var iteration = 0; iteration < 150; iteration++)
        {
            var world = new NetpolWorld(
                (ns, pod) => random.Next(3) switch { 0 => new() { ["app"] = "web" }, 1 => new() { ["app"] = "db" }, _ => [] },
                ns => random.Next(3) switch { 0 => new() { ["team"] = "blue" }, 1 => new() { ["team"] = "red" }, _ => [] },
                (ns, pod) => [new NamedPort("http", "TCP", random.Next(2) == 0 ? 80 : 81), new NamedPort("dns", "UDP", 80 + random.Next(2))]);
            var policies = Enumerable.Range(0, random.Next(1, 5)).Select(i => RandomPolicy(random, i)).ToList();
            var blocks = world.AllBlocks;
            IReadOnlyList<Cidr>? local = random.Next(3) == 0 ? null : [.. blocks.Where(_ => random.Next(2) == 0)];
            world.Check(policies, local);
        }
    }

    private static PolicySpec RandomPolicy(Random random, int index)
    {
        var ns = NetpolWorld.NamespaceNames[random.Next(3)];
        var ingress = random.Next(4) != 0;
        var egress = !ingress || random.Next(2) == 0;
        return new PolicySpec($"p{index}", ns, Pick(random, PodSelectors)!, ingress, egress, Rules(random), Rules(random));
    }

    private static List<PolicyRule> Rules(Random random) => [.. Enumerable.Range(0, random.Next(3)).Select(_ => new PolicyRule(
        [.. Enumerable.Range(0, random.Next(3)).Select(_ => Peer(random))],
        [.. Enumerable.Range(0, random.Next(3)).Select(_ => Port(random))]))];

    private static PolicyPeer Peer(Random random) => random.Next(6) switch
    {
        0 => new IpBlockPeer(Cidr.Parse($"100.96.{random.Next(3)}.0/24"), random.Next(2) == 0 ? [] : [Cidr.Parse($"100.96.{random.Next(3)}.16/28")]),
        1 => new IpBlockPeer(Cidr.Parse("192.0.2.0/24"), []),
        _ => new PodPeer(Pick(random, PodSelectors)!, Pick(random, NamespaceSelectors)),
    };

    private static PolicyPort Port(Random random) => random.Next(6) switch
    {
        0 => new PolicyPort("TCP", 80, null),
        1 => new PolicyPort("UDP", 81, null),
        2 => new PolicyPort("TCP", 80, 81),
        3 => new PolicyPort(random.Next(2) == 0 ? "UDP" : "TCP", null, null),
        4 => PolicyPort.Named("TCP", "http"),
        _ => PolicyPort.Named(random.Next(2) == 0 ? "UDP" : "TCP", random.Next(2) == 0 ? "dns" : "serve-81-udp"),
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
