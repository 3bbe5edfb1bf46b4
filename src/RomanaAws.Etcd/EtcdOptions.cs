namespace RomanaAws.Etcd;

/// <summary>
/// How to reach etcd and where the cluster's records live. <see cref="Endpoints"/>: <c>https://host:2379</c> (or
/// <c>http://</c> on loopback); with a CA, client certificate and key the connection is mutual TLS.
/// </summary>
public sealed record EtcdOptions
{
    public const int DefaultLeaseSeconds = 2;
    public const int DefaultMaxTxnOps = 128;

    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>Every key of the cluster starts with this (<c>/romana-aws/CLUSTER/</c> by default).</summary>
    public required string Prefix { get; init; }

    /// <summary>The state records (<c>PREFIX/state/…</c>); the leader key is <c>PREFIX/leader</c>, beside them.</summary>
    public string StatePrefix => Prefix + "state/";

    public string? CaFile { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>The leader lease's TTL: a dead leader is replaced this long after its last renewal (etcd's minimum is 2 s with its default election timeout).</summary>
    public int LeaseSeconds { get; init; } = DefaultLeaseSeconds;

    /// <summary>etcd's <c>--max-txn-ops</c>: the most operations one transaction may carry (a larger save is split).</summary>
    public int MaxTxnOps { get; init; } = DefaultMaxTxnOps;

    /// <summary>How long one etcd call may take before it counts as etcd unreachable.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public static string DefaultPrefix(string cluster) => $"/romana-aws/{cluster}/";
}
