using System.Text.RegularExpressions;
using RomanaAws.Agent.Policy;

namespace RomanaAws.Agent.Tests.Policy;

/// <summary>
/// Every transcribed upstream case against the compiler: the YAML goes through the reader (as from a file or the API),
/// the compiled rules are run for every probe of the x/y/z × a/b/c matrix (TCP and UDP, 80 and 81, and to and from
/// outside), and must agree with the API's semantics (<see cref="PolicyOracle"/>) on each, and with the upstream
/// test's expected matrix on every pod-to-pod probe.
/// </summary>
public sealed partial class NetpolCaseTests
{
    public static TheoryData<string> Cases() => [.. NetpolCases.All.Select(c => c.Upstream)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_RulesMeanWhatUpstreamExpects(string upstream)
    {
        var netpolCase = NetpolCases.All.Single(c => c.Upstream == upstream);
        foreach (var (step, index) in netpolCase.Steps.Select((s, i) => (s, i)))
        {
            var world = WorldOf(step);
            var inputs = PolicyReader.Parse(Resolve(step.Policies, world), $"{upstream} step {index}");
            var allowed = world.Check(inputs.Policies);
            var wrong = world.Probes().Where(p => p.From != "outside" && p.To != "outside")
                .Select(p => new Probe(p.From, p.To, p.Packet.Protocol, p.Packet.Port))
                .Where(p => step.Allowed(p) != allowed.Contains(p.ToString())).ToList();
            Assert.True(wrong.Count == 0, $"step {index}: {wrong.Count} probe(s) not as upstream expects: {string.Join(", ", wrong.Take(12).Select(p => $"{p} should be {(step.Allowed(p) ? "allowed" : "denied")}"))}");
        }
    }

    [Fact]
    public void Cases_AtLeast25_EveryFormCovered()
    {
        var yaml = string.Join('\n', NetpolCases.All.SelectMany(c => c.Steps).Select(s => s.Policies));
        Assert.True(NetpolCases.All.Count >= 25, $"{NetpolCases.All.Count} cases");
        foreach (var form in new[] { "serve-80-tcp", "matchExpressions", "except:", "policyTypes: [Egress]", "endPort", "SCTP", "NotIn", "namespaceSelector" })
        {
            Assert.Contains(form, yaml, StringComparison.Ordinal);
        }

        Assert.Contains(NetpolCases.All, c => c.Steps.Any(s => s.PodLabels is not null));
        Assert.Contains(NetpolCases.All, c => c.Steps.Any(s => s.NamespaceLabels is not null));
        Assert.Contains(NetpolCases.All, c => c.Steps.Count > 1 && c.Steps[^1].Policies.Length == 0);
    }

    internal static NetpolWorld WorldOf(NetpolStep step) => new(
        (ns, pod) => step.PodLabels?.GetValueOrDefault($"{ns}/{pod}") ?? [],
        ns => step.NamespaceLabels?.GetValueOrDefault(ns) ?? []);

    /// <summary>The case's YAML with <c>$(ns/pod)</c> replaced by the pod's address.</summary>
    internal static string Resolve(string yaml, NetpolWorld world) =>
        PodAddress().Replace(yaml, m => world.Pod(m.Groups[1].Value).Address.NetworkAddress.ToString());

    [GeneratedRegex(@"\$\(([a-z]+/[a-z]+)\)")]
    private static partial Regex PodAddress();
}
