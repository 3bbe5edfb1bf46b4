using System.Net;
using RomanaAws.Agent.Policy;

namespace RomanaAws.Agent.Tests.Policy;

/// <summary>
/// NetworkPolicy semantics read straight from the API reference (networking.k8s.io/v1), by label matching on the
/// pods themselves, with no sets, owners or rules: a packet passes when the source pod's egress and the destination
/// pod's ingress both allow it (each judged only where <c>judged</c> says the pod lives on the node). A direction is allowed when no policy selects the pod for it, or some rule of some
/// selecting policy matches (any peer, any port; empty lists match all). Named ports resolve on the destination pod.
/// </summary>
internal static class PolicyOracle
{
    public static bool Allows(IReadOnlyList<PolicySpec> policies, ClusterView cluster, Packet packet, Func<IPAddress, bool> judged)
    {
        var source = cluster.Pods.FirstOrDefault(p => p.Address.Contains(packet.Source));
        var egressJudged = judged(packet.Source);
        var destination = cluster.Pods.FirstOrDefault(p => p.Address.Contains(packet.Destination));
        var ingressJudged = judged(packet.Destination);
        if (source is not null && egressJudged && packet.Destination.Equals(IPAddress.Parse("169.254.169.254")))
        {
            return false;
        }

        var egress = source is null || !egressJudged || Direction(policies.Where(p => p.Egress && Selects(p, source)).ToList(), p => p.EgressRules, cluster, packet.Destination, destination, destination, packet);
        var ingress = destination is null || !ingressJudged || Direction(policies.Where(p => p.Ingress && Selects(p, destination)).ToList(), p => p.IngressRules, cluster, packet.Source, source, destination, packet);
        return egress && ingress;
    }

    private static bool Selects(PolicySpec policy, PodInfo pod) => policy.Namespace == pod.Namespace && policy.PodSelector.Matches(pod.Labels);

    private static bool Direction(List<PolicySpec> selecting, Func<PolicySpec, IReadOnlyList<PolicyRule>> rules, ClusterView cluster, IPAddress peerAddress, PodInfo? peer, PodInfo? portPod, Packet packet) =>
        selecting.Count == 0 || selecting.Any(policy => rules(policy).Any(rule =>
            (rule.Peers.Count == 0 || rule.Peers.Any(p => PeerMatches(p, policy, cluster, peerAddress, peer)))
            && (rule.Ports.Count == 0 || rule.Ports.Any(p => PortMatches(p, portPod, packet)))));

    private static bool PeerMatches(PolicyPeer peer, PolicySpec policy, ClusterView cluster, IPAddress address, PodInfo? pod) => peer switch
    {
        IpBlockPeer block => block.Cidr.Contains(address) && !block.Except.Any(e => e.Contains(address)),
        PodPeer selector => pod is not null && selector.Pods.Matches(pod.Labels)
            && (selector.Namespaces is null ? pod.Namespace == policy.Namespace : selector.Namespaces.Matches(NamespaceLabels(cluster, pod.Namespace))),
        _ => false,
    };

    private static IReadOnlyDictionary<string, string> NamespaceLabels(ClusterView cluster, string name) =>
        cluster.Namespaces.FirstOrDefault(n => n.Name == name)?.Labels ?? NamespaceInfo.Of(name).Labels;

    private static bool PortMatches(PolicyPort port, PodInfo? destination, Packet packet)
    {
        if (!string.Equals(port.Protocol, packet.Protocol, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (port.Name is { } name)
        {
            return destination is not null && destination.Ports.Any(p => p.Name == name && p.Protocol == port.Protocol && p.Port == packet.Port);
        }

        return port.Port is not { } low || (packet.Port >= low && packet.Port <= (port.EndPort ?? low));
    }
}
