using System.Net;
using System.Text.Json.Serialization;

namespace RomanaAws.Core.Topology;

/// <summary>
/// The topology file's <c>routing:</c> section: how groups are advertised. Defaults live here and only here (each one's
/// reason is in docs/configuration.md, "Routing mode bgp"); <see cref="RoutingReader"/> decides what is valid.
/// Not part of the IPAM state: it changes how groups are announced, never how addresses are carved.
/// </summary>
public sealed record RoutingConfig
{
    /// <summary>9 s hold (keepalive 3 s): a dead host is withdrawn within 9 s without BFD. RFC 4271's 90 s is for WAN links.</summary>
    public const int DefaultHoldSeconds = 9;

    /// <summary>BFD: 100 ms × 3 = a dead host is detected in 300 ms, where the router runs BFD.</summary>
    public const int DefaultBfdIntervalMs = 100;

    public const int DefaultBfdMultiplier = 3;

    /// <summary>How long a router keeps a restarting node's routes, when graceful restart is on.</summary>
    public const int DefaultRestartSeconds = 120;

    /// <summary>OSPF hello every second, a neighbor dead after 4 s without one: OSPF's 10/40 s defaults are for WAN links.</summary>
    public const int DefaultHelloSeconds = 1;

    public const int DefaultDeadSeconds = 4;

    public static RoutingConfig Vpc { get; } = new();

    /// <summary>Whether the nodes run BIRD (bgp or ospf): they advertise, and nothing talks to EC2.</summary>
    [JsonIgnore]
    public bool Advertised => Mode is RoutingMode.Bgp or RoutingMode.Ospf;

    public RoutingMode Mode { get; init; } = RoutingMode.Vpc;

    /// <summary>The nodes' AS number (every node the same; private ASNs 64512–65534 or 4200000000–4294967294 are the usual choice).</summary>
    public long Asn { get; init; }

    /// <summary>BGP hold time; keepalives every third of it.</summary>
    public int HoldSeconds { get; init; } = DefaultHoldSeconds;

    [JsonIgnore]
    public int KeepaliveSeconds => Math.Max(1, HoldSeconds / 3);

    /// <summary>
    /// Off by default: with graceful restart a router keeps a dead node's routes for the restart time (RFC 4724), which is
    /// exactly the failover this mode exists to make fast. BIRD writes nothing to the kernel, so its restart costs one
    /// re-advertisement while the group's other hosts carry the traffic.
    /// </summary>
    public bool GracefulRestart { get; init; }

    public int RestartSeconds { get; init; } = DefaultRestartSeconds;

    /// <summary>Also advertise each node's own blocks (off: one prefix per group). Costs one router route per block.</summary>
    public bool AdvertiseBlocks { get; init; }

    /// <summary>Learn the routers' routes into the node's kernel (off: the node's default route reaches the router; nothing is imported).</summary>
    public bool ImportRoutes { get; init; }

    /// <summary>OSPF: hello interval on the rack's segment.</summary>
    public int HelloSeconds { get; init; } = DefaultHelloSeconds;

    /// <summary>OSPF: a neighbor without a hello this long is dead, and its routes go.</summary>
    public int DeadSeconds { get; init; } = DefaultDeadSeconds;

    /// <summary>OSPF: BFD on the rack's segment (BGP: per peer). Off by default: the routers must run BFD too.</summary>
    public bool Bfd { get; init; }

    public int BfdIntervalMs { get; init; } = DefaultBfdIntervalMs;

    public int BfdMultiplier { get; init; } = DefaultBfdMultiplier;

    /// <summary>Racks (L2 segments): each is a subnet of the topology, with the routers its hosts peer with (bgp) or its OSPF area (ospf).</summary>
    public IReadOnlyList<RackConfig> Racks { get; init; } = [];

    /// <summary>Hosts given in the configuration (Kubernetes Nodes may add more); each lies in the rack whose CIDR holds its address.</summary>
    public IReadOnlyList<RackHostConfig> Hosts { get; init; } = [];

    /// <summary>The rack whose CIDR holds <paramref name="address"/>, or null.</summary>
    public RackConfig? RackOf(IPAddress address) => Racks.FirstOrDefault(r => r.Cidr.Contains(address));

    public RackConfig? Rack(string name) => Racks.FirstOrDefault(r => r.Name == name);
}
