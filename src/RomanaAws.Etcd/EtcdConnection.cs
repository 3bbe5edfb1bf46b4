using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace RomanaAws.Etcd;

/// <summary>
/// One gRPC connection to an etcd cluster (dotnet-etcd's channel over every endpoint, mutual TLS when certificates are
/// given) and the few calls RomanaAws makes: a consistent paged range read, a transaction, leases. Thin: every call
/// has a deadline, and a transport failure is an <see cref="EtcdUnavailableException"/> naming the endpoints.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    private const int PageSize = 10_000;
    private readonly EtcdClient _client;
    private readonly TimeProvider _time;

    public EtcdConnection(EtcdOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("etcd needs at least one endpoint", nameof(options));
        }

        Options = options;
        var endpoints = string.Join(",", options.Endpoints.Select(e => e.ToString().TrimEnd('/')));
        _client = options.CaFile is null && options.CertFile is null
            ? new EtcdClient(endpoints, configureChannelOptions: o => o.MaxReceiveMessageSize = 64 * 1024 * 1024)
            : new EtcdClient(endpoints, configureSslOptions: ssl => ConfigureTls(ssl, options), configureChannelOptions: o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
    }

    public EtcdOptions Options { get; }

    public string Describe => string.Join(", ", Options.Endpoints);

    internal KV.KVClient Kv => _client.GetConnection().KVClient;

    internal Lease.LeaseClient Leases => _client.GetConnection().LeaseClient;

    internal Watch.WatchClient Watches => _client.GetConnection().WatchClient;

    /// <summary>Call options with the configured deadline.</summary>
    internal CallOptions Call(CancellationToken cancellationToken) => new(deadline: _time.GetUtcNow().UtcDateTime.Add(Options.CallTimeout), cancellationToken: cancellationToken);

    /// <summary>
    /// Every key under <paramref name="prefix"/> with its value and mod revision, read at one revision (the first page's,
    /// or <paramref name="atRevision"/>) so the pages form one consistent view; and that revision.
    /// </summary>
    public async Task<(Dictionary<string, (string Value, long ModRevision)> Records, long Revision)> RangeAsync(string prefix, long atRevision, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var start = ByteString.CopyFromUtf8(prefix);
        var end = PrefixEnd(prefix);
        var revision = atRevision;
        while (true)
        {
            var response = await RunAsync(() => Kv.RangeAsync(new RangeRequest { Key = start, RangeEnd = end, Limit = PageSize, Revision = revision }, Call(cancellationToken)).ResponseAsync);
            if (revision == 0)
            {
                revision = response.Header.Revision;
            }

            foreach (var kv in response.Kvs)
            {
                records[kv.Key.ToStringUtf8()[prefix.Length..]] = (kv.Value.ToStringUtf8(), kv.ModRevision);
            }

            if (!response.More || response.Kvs.Count == 0)
            {
                return (records, revision);
            }

            start = ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
        }
    }

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancellationToken) =>
        RunAsync(() => Kv.TxnAsync(request, Call(cancellationToken)).ResponseAsync);

    /// <summary>Runs one call; transport failures and deadlines become <see cref="EtcdUnavailableException"/>.</summary>
    internal async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new EtcdUnavailableException($"etcd ({Describe}) did not answer: {ex.Status.StatusCode} {ex.Status.Detail}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EtcdUnavailableException($"etcd ({Describe}) is unreachable: {ex.Message}", ex);
        }
    }

    /// <summary>The end of the range of keys starting with <paramref name="prefix"/> (its last byte plus one).</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom([0]);
    }

    private static void ConfigureTls(SslClientAuthenticationOptions ssl, EtcdOptions options)
    {
        if (options.CertFile is { } cert)
        {
            using var pem = X509Certificate2.CreateFromPemFile(cert, options.KeyFile);
            // Exported and re-imported: SslStream needs the key in a form the platform can use for client auth.
            ssl.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        if (options.CaFile is { } ca)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(ca);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
    }

    public void Dispose() => _client.Dispose();
}
