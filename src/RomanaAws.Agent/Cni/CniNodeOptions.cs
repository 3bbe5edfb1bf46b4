namespace RomanaAws.Agent.Cni;

/// <summary>
/// How the agent serves the CNI plugin on this node.
/// </summary>
/// <param name="SocketPath">The root-only unix socket the plugin calls (its <c>agentSocket</c>).</param>
/// <param name="CheckpointPath">The node's pod addresses on disk (written before every answer).</param>
/// <param name="ConfDirectory">Where to write <c>10-romana-aws.conflist</c> once ready (null: not written; the runtime's /etc/cni/net.d).</param>
/// <param name="ConfVersion">The conflist's cniVersion: 1.0.0 for containerd 1.6/1.7, 1.1.0 for runtimes with libcni 1.2+.</param>
/// <param name="Mtu">The pods' MTU written into the conflist (null: the plugin uses the node's primary interface MTU).</param>
/// <param name="DefaultOwner">The owner of an address when the runtime passes no pod namespace.</param>
/// <param name="LeakGrace">How long an attachment's netns and host veth must be gone before the agent reclaims its address.</param>
public sealed record CniNodeOptions(string SocketPath, string CheckpointPath, string? ConfDirectory, string ConfVersion, int? Mtu, string DefaultOwner, TimeSpan LeakGrace)
{
    public const string ConflistName = "10-romana-aws.conflist";
}
