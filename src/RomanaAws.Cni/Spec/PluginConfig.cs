using System.Net;

namespace RomanaAws.Cni.Spec;

/// <summary>The network configuration on stdin, validated (see docs/agent.md, "The CNI plugin").</summary>
internal sealed record PluginConfig
{
    public const string DefaultSocket = "/run/romana-aws/cni.sock";

    public static readonly IPAddress DefaultGateway = IPAddress.Parse("169.254.1.1");

    public required string CniVersion { get; init; }

    public required string Name { get; init; }

    /// <summary>The node agent's unix socket.</summary>
    public string AgentSocket { get; init; } = DefaultSocket;

    /// <summary>MTU of the pod's veth; null: the MTU of the node's primary interface (the one holding the default route).</summary>
    public int? Mtu { get; init; }

    /// <summary>The pods' default gateway: link-local, the same on every node, answered by the host veth (static neighbour).</summary>
    public IPAddress Gateway { get; init; } = DefaultGateway;

    /// <summary>The owner of an address when the runtime passes no K8S_POD_NAMESPACE.</summary>
    public string DefaultOwner { get; init; } = "default";

    public PrevResult? PrevResult { get; init; }

    /// <summary>GC's <c>cni.dev/valid-attachments</c>: (container ID, ifname).</summary>
    public IReadOnlyList<(string ContainerId, string IfName)> ValidAttachments { get; init; } = [];
}
