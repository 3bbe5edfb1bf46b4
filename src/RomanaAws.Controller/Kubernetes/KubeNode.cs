using k8s.Models;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>What the controller reads of a Node: name, uid, providerID, zone label, its NetworkUnavailable condition, version, InternalIP.</summary>
public sealed record KubeNode(string Name, string Uid, string? ProviderId, string? ZoneLabel, NodeCondition? NetworkUnavailable, string? ResourceVersion)
{
    /// <summary>The Node's first InternalIP address (routing modes bgp and ospf: which rack it is in); null when it has none or it is not an address.</summary>
    public System.Net.IPAddress? InternalIp { get; init; }

    public const string ZoneLabelKey = "topology.kubernetes.io/zone";

    public static KubeNode From(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var condition = node.Status?.Conditions?.FirstOrDefault(c => c.Type == Kubernetes.NetworkUnavailable.Type);
        return new KubeNode(
            node.Metadata?.Name ?? string.Empty,
            node.Metadata?.Uid ?? string.Empty,
            node.Spec?.ProviderID,
            node.Metadata?.Labels?.TryGetValue(ZoneLabelKey, out var zone) == true ? zone : null,
            condition is null ? null : new NodeCondition(condition.Status, condition.Reason, condition.Message),
            node.Metadata?.ResourceVersion)
        {
            InternalIp = Core.Net.Cidr.TryParseAddress(node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address, out var ip) ? ip : null,
        };
    }
}
