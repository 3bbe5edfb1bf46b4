using System.Net;

namespace RomanaAws.Controller.Configuration;

#pragma warning disable CA1002, CA2227 // Options bound by the settings binder.

/// <summary>
/// The <c>api:</c> section: how the controller's HTTP API is protected (docs/security.md). Beyond loopback it is TLS
/// with Kubernetes service-account tokens verified by TokenReview, unless <see cref="Insecure"/> says otherwise; on
/// loopback (the default listen address) only local processes reach it and it stays plain and open.
/// </summary>
public sealed class ApiSettings
{
    public const string Section = "api";

    /// <summary>PEM serving certificate (with its chain) and key; re-read when they change (rotation without a restart).</summary>
    public string? TlsCertFile { get; set; }

    public string? TlsKeyFile { get; set; }

    /// <summary>PEM CA bundle the replicas' certificates chain to (a standby forwarding to the leader checks it with this).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>The DNS name a replica's certificate must carry when a standby checks its leader (whose pod IP no certificate names).</summary>
    public string? TlsServerName { get; set; }

    /// <summary><c>auto</c> (tokenreview beyond loopback, none on loopback), <c>tokenreview</c> or <c>none</c>.</summary>
    public string Auth { get; set; } = "auto";

    /// <summary>Plain HTTP and no authentication beyond loopback: only for private lab networks.</summary>
    public bool Insecure { get; set; }

    /// <summary>The audience the agents' projected tokens are made for (and TokenReview checks).</summary>
    public string Audience { get; set; } = "romana-aws-controller";

    /// <summary>The user name of the agents' tokens: the agent DaemonSet's service account.</summary>
    public string AgentServiceAccount { get; set; } = "system:serviceaccount:romana-aws:romana-aws-agent";

    /// <summary>Callers in one of these groups may read /v1/routes, /v1/ipam, /metrics and any agent's state, and POST /v1/reconcile.</summary>
    public List<string> OperatorGroups { get; set; } = ["system:masters", "romana-aws:operators"];

    /// <summary>Callers with one of these user names are operators too (a Prometheus service account, say).</summary>
    public List<string> OperatorUsers { get; set; } = [];

    /// <summary>How long a token's review is reused (never beyond the token's expiry); a refused token's for a tenth of it.</summary>
    [SettingRange(0, 600)]
    public int TokenCacheSeconds { get; set; } = 60;

    /// <summary>Mutating calls (POST, PUT, DELETE) per second per caller, sustained; a burst of <see cref="MutationBurst"/> passes at once.</summary>
    [SettingRange(1, 100_000)]
    public int MutationsPerSecond { get; set; } = 20;

    [SettingRange(1, 100_000)]
    public int MutationBurst { get; set; } = 100;

    /// <summary>The largest request body, chunked or not (a usage report of a full node is a few KiB).</summary>
    [SettingRange(1024, 16 << 20)]
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Whether a controller listening on <paramref name="listen"/> verifies tokens.</summary>
    public bool Authenticates(IPEndPoint listen) => Auth == "tokenreview" || (Auth == "auto" && !Insecure && !IPAddress.IsLoopback(listen.Address));

    /// <summary>Whether it serves TLS (always with a certificate; required beyond loopback unless insecure).</summary>
    public bool ServesTls => TlsCertFile is not null;

    /// <summary>Why the PEM pair does not load as a serving certificate; null when it does.</summary>
    private static string? LoadProblem(string cert, string key)
    {
        try
        {
            using var pair = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, key);
            return pair.HasPrivateKey ? null : "the key does not belong to the certificate";
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>What the binder's types and ranges cannot say.</summary>
    public IEnumerable<SettingProblem> Validate(string listenText, bool kubernetesReachable)
    {
        if (Auth is not ("auto" or "tokenreview" or "none"))
        {
            yield return new SettingProblem("api:auth", Auth, "must be auto (tokenreview beyond loopback), tokenreview or none");
        }

        if ((TlsCertFile is null) != (TlsKeyFile is null))
        {
            yield return new SettingProblem(TlsCertFile is null ? "api:tlsCertFile" : "api:tlsKeyFile", null, "is missing; give both api.tlsCertFile and api.tlsKeyFile, or neither");
        }

        foreach (var (key, path) in new[] { ("api:tlsCertFile", TlsCertFile), ("api:tlsKeyFile", TlsKeyFile), ("api:tlsCaFile", TlsCaFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                yield return new SettingProblem(key, path, "is not a readable file; give a PEM file (the kops addon mounts them from the romana-aws-tls Secret)");
            }
        }

        if (TlsCertFile is { } certFile && TlsKeyFile is { } keyFile && File.Exists(certFile) && File.Exists(keyFile) && LoadProblem(certFile, keyFile) is { } problem)
        {
            yield return new SettingProblem("api:tlsCertFile", certFile, $"cannot be served with api.tlsKeyFile {keyFile}: {problem}");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return new SettingProblem("api:audience", Audience, "is empty; give the audience of the agents' projected tokens, such as romana-aws-controller");
        }

        if (!AgentServiceAccount.StartsWith("system:serviceaccount:", StringComparison.Ordinal) || AgentServiceAccount.Split(':').Length != 4)
        {
            yield return new SettingProblem("api:agentServiceAccount", AgentServiceAccount, "must be system:serviceaccount:NAMESPACE:NAME, such as system:serviceaccount:romana-aws:romana-aws-agent");
        }

        if (!IPEndPoint.TryParse(listenText, out var listen))
        {
            yield break;
        }

        var beyond = !IPAddress.IsLoopback(listen.Address);
        if (beyond && !Insecure && TlsCertFile is null)
        {
            yield return new SettingProblem("api:tlsCertFile", null, $"is required: controller.listen {listenText} is beyond loopback, so the API must be TLS; give api.tlsCertFile and api.tlsKeyFile, or set api.insecure true for a private lab network");
        }

        if (beyond && !Insecure && Auth == "none")
        {
            yield return new SettingProblem("api:auth", Auth, $"none is refused beyond loopback (controller.listen {listenText}): any pod could claim blocks; use tokenreview, or set api.insecure true for a private lab network");
        }

        if (Authenticates(listen) && !kubernetesReachable)
        {
            yield return new SettingProblem("api:auth", Auth, "verifies tokens with the Kubernetes API's TokenReview, but there is no Kubernetes API (no kubernetes.kubeconfig and not in a cluster)");
        }
    }
}
