using RomanaAws.Core.Net;

namespace RomanaAws.Core.Agents;

/// <summary>
/// What one node's agent must program, as the controller serves it (<c>GET /v1/agents/{instanceId}</c>) or a file
/// holds it (<c>--desired F</c>). Schema <c>romana-aws/agent-desired/v1</c>; see docs/agent.md.
/// </summary>
public sealed record AgentDesiredState
{
    public const string SchemaName = "romana-aws/agent-desired/v1";

    public string Schema { get; init; } = SchemaName;

    public required string InstanceId { get; init; }

    /// <summary>This node's group CIDRs (one per network, plus overflow ranges): unreachable routes, so unallocated addresses are dropped here.</summary>
    public required IReadOnlyList<Cidr> Groups { get; init; }

    /// <summary>This node's own blocks, with their owners.</summary>
    public required IReadOnlyList<OwnedBlock> Blocks { get; init; }

    /// <summary>Same-subnet peers and their blocks: one route per block via the peer's private IP.</summary>
    public required IReadOnlyList<PeerBlocks> Peers { get; init; }

    /// <summary>Every block of the cluster by owner (namespace or namespace/segment), for policy ipsets.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Cidr>> Owners { get; init; }

    /// <summary>
    /// The topology's pod network names in order; the first is the default (a pod without <c>romana.io/network</c>).
    /// Empty in a desired state written before networks were named here: every block is then in the default network.
    /// </summary>
    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>Routing mode bgp: what this node's BIRD announces and to whom; null in vpc mode (the controller writes VPC routes).</summary>
    public BgpAdvertisement? Bgp { get; init; }

    /// <summary>Routing mode ospf: what this node's BIRD announces into OSPF; null otherwise.</summary>
    public OspfAdvertisement? Ospf { get; init; }
}

/// <summary>A block and its owner; <paramref name="Network"/> is the pod network it is carved from (null: the default, the topology's first).</summary>
public sealed record OwnedBlock(Cidr Cidr, string Owner, string? Network = null);

public sealed record PeerBlocks(string InstanceId, string Ip, IReadOnlyList<OwnedBlock> Blocks);
