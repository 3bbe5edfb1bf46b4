using System.Net;
using RomanaAws.Agent.Policy;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Policy;

/// <summary>
/// The upstream e2e suite's world (test/e2e/network/netpol): namespaces x, y, z (label <c>ns</c>) × pods a, b, c (label
/// <c>pod</c>), each serving TCP and UDP on 80 and 81 under the names serve-80-tcp … serve-81-udp. Pod c carries
/// <c>romana.io/segment: s</c>, so each namespace has two owners (ns and ns/s) with their own blocks, as the CNI makes them.
/// </summary>
internal sealed class NetpolWorld
{
    public static readonly string[] NamespaceNames = ["x", "y", "z"];
    public static readonly string[] PodNames = ["a", "b", "c"];
    public static readonly (string Protocol, int Port)[] Ports = [("TCP", 80), ("TCP", 81), ("UDP", 80), ("UDP", 81)];
    public static readonly IPAddress External = IPAddress.Parse("192.0.2.10");

    public NetpolWorld(
        Func<string, string, Dictionary<string, string>>? extraPodLabels = null, Func<string, Dictionary<string, string>>? extraNamespaceLabels = null,
        Func<string, string, IReadOnlyList<NamedPort>>? extraPorts = null)
    {
        var namespaces = new List<NamespaceInfo>();
        var pods = new List<PodInfo>();
        var owners = new Dictionary<string, IReadOnlyList<Cidr>>(StringComparer.Ordinal);
        for (var n = 0; n < NamespaceNames.Length; n++)
        {
            var ns = NamespaceNames[n];
            namespaces.Add(NamespaceInfo.Of(ns, new Dictionary<string, string>(extraNamespaceLabels?.Invoke(ns) ?? []) { ["ns"] = ns }));
            owners[ns] = [Cidr.Parse($"100.96.{n}.0/28")];
            owners[$"{ns}/s"] = [Cidr.Parse($"100.96.{n}.16/28")];
            for (var p = 0; p < PodNames.Length; p++)
            {
                var labels = new Dictionary<string, string>(extraPodLabels?.Invoke(ns, PodNames[p]) ?? []) { ["pod"] = PodNames[p] };
                var segment = PodNames[p] == "c";
                if (segment)
                {
                    labels[ClusterView.SegmentLabel] = "s";
                }

                var address = Cidr.Parse($"100.96.{n}.{(segment ? 17 : 1 + p)}/32");
                pods.Add(new PodInfo(ns, PodNames[p], labels, address, [.. Ports.Select(port => new NamedPort($"serve-{port.Port}-{port.Protocol.ToLowerInvariant()}", port.Protocol, port.Port)), .. extraPorts?.Invoke(ns, PodNames[p]) ?? []]));
            }
        }

        Cluster = new ClusterView(namespaces, pods);
        Owners = owners;
    }

    public ClusterView Cluster { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<Cidr>> Owners { get; }

    public IReadOnlyList<Cidr> AllBlocks => [.. Owners.Values.SelectMany(b => b)];

    public PodInfo Pod(string key) => Cluster.Pods.Single(p => p.Key == key);

    /// <summary>Every probe: pod → pod on each port, and the outside world → pod, pod → outside world.</summary>
    public IEnumerable<(string From, string To, Packet Packet)> Probes()
    {
        foreach (var (protocol, port) in Ports)
        {
            foreach (var from in Cluster.Pods)
            {
                foreach (var to in Cluster.Pods)
                {
                    yield return (from.Key, to.Key, new Packet(from.Address.NetworkAddress, to.Address.NetworkAddress, protocol, port));
                }

                yield return ("outside", from.Key, new Packet(External, from.Address.NetworkAddress, protocol, port));
                yield return (from.Key, "outside", new Packet(from.Address.NetworkAddress, External, protocol, port));
            }
        }
    }

    /// <summary>
    /// Compiles for a node holding <paramref name="local"/> (every block by default), runs every probe through the rules
    /// and the oracle, asserts they agree on each, and returns the allowed probes as "from→to proto/port".
    /// </summary>
    public HashSet<string> Check(IReadOnlyList<PolicySpec> policies, IReadOnlyList<Cidr>? local = null, ClusterView? cluster = null)
    {
        var view = cluster ?? Cluster;
        var compiled = PolicyCompiler.Compile(policies, view, Owners, local ?? AllBlocks, new PolicyOptions());
        var rules = new RuleEvaluator(compiled);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var disagree = new List<string>();
        foreach (var (from, to, packet) in Probes())
        {
            var expected = PolicyOracle.Allows(policies, view, packet, a => (local ?? AllBlocks).Any(b => b.Contains(a)));
            var actual = rules.Allows(packet);
            if (expected != actual)
            {
                disagree.Add($"{from}→{to} {packet.Protocol}/{packet.Port}: rules {(actual ? "allow" : "deny")}, the API's semantics {(expected ? "allow" : "deny")}");
            }

            if (actual)
            {
                allowed.Add($"{from}→{to} {packet.Protocol}/{packet.Port}");
            }
        }

        Assert.True(disagree.Count == 0, $"{disagree.Count} probe(s) disagree:\n{string.Join('\n', disagree.Take(20))}\n{string.Join('\n', policies)}\n{string.Join('\n', compiled.SetEntries.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}\n{compiled.IptablesRestore}");
        return allowed;
    }
}
