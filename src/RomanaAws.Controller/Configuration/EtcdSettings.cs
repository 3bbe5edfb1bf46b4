namespace RomanaAws.Controller.Configuration;

#pragma warning disable CA1002, CA2227 // Options bound by the settings binder.

/// <summary>
/// The <c>etcd:</c> section, used when <c>controller.stateBackend</c> is <c>etcd</c>: endpoints, the cluster's key
/// prefix, mutual-TLS files, the leader lease, and etcd's transaction limit. See docs/operations.md.
/// </summary>
public sealed class EtcdSettings
{
    public const string Section = "etcd";

    /// <summary>Client URLs of the etcd members (<c>https://10.0.0.5:2379</c>); all of them, so losing one is harmless.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Every key of this cluster starts with it; default <c>/romana-aws/CLUSTER/</c>.</summary>
    public string? Prefix { get; set; }

    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>Leader lease TTL: a dead leader is replaced about this long after its last renewal (etcd's minimum is 2 s).</summary>
    [SettingRange(2, 60)]
    public int LeaseSeconds { get; set; } = 2;

    /// <summary>etcd's <c>--max-txn-ops</c> (128 unless raised): a bigger save is split over transactions.</summary>
    [SettingRange(8, 1_000_000)]
    public int MaxTxnOps { get; set; } = 128;

    /// <summary>How long one etcd call may take before etcd counts as unreachable (and no route is changed).</summary>
    [SettingRange(1, 60)]
    public int CallTimeoutSeconds { get; set; } = 5;

    /// <summary>What the binder's types and ranges cannot say (only when the backend is etcd).</summary>
    public IEnumerable<SettingProblem> Validate()
    {
        if (Endpoints.Count == 0)
        {
            yield return new SettingProblem("etcd:endpoints", null, "is empty; list the etcd client URLs, such as [https://10.0.0.5:2379, https://10.0.0.6:2379, https://10.0.0.7:2379]");
        }

        foreach (var endpoint in Endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                yield return new SettingProblem("etcd:endpoints", endpoint, "is not a client URL such as https://10.0.0.5:2379 (scheme http or https, host, port, no path)");
            }
            else if (uri.Scheme == "http" && !uri.IsLoopback)
            {
                yield return new SettingProblem("etcd:endpoints", endpoint, "is plain http beyond loopback; use https with etcd:caFile, certFile and keyFile (client certificates)");
            }
        }

        if (Prefix is { } prefix && (!prefix.StartsWith('/') || !prefix.EndsWith('/') || prefix.Length < 3))
        {
            yield return new SettingProblem("etcd:prefix", prefix, "must start and end with '/', such as /romana-aws/my-cluster/");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            yield return new SettingProblem(CertFile is null ? "etcd:certFile" : "etcd:keyFile", null, "is missing: a client certificate needs both certFile and keyFile");
        }

        foreach (var (key, path) in new[] { ("etcd:caFile", CaFile), ("etcd:certFile", CertFile), ("etcd:keyFile", KeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                yield return new SettingProblem(key, path, "is not a readable file (PEM)");
            }
        }
    }
}
