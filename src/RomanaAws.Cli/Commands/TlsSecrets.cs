using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RomanaAws.Core.Security;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// <c>romana-aws tls ensure-secret</c>, the kops addon's install and daily renewal Job: the API's certificates in the
/// Secret the controller mounts (ca.crt, tls.crt, tls.key) and the CA's key in a second Secret only this Job reads.
/// The decision is <see cref="TlsSecretPlan"/>; this is the thin part that reads and writes the two Secrets.
/// </summary>
internal static class TlsSecrets
{
    public static async Task<int> EnsureAsync(CliContext context, IKubernetes kubernetes, string ns, string name, string[] dnsNames, int days, int renewDays, CancellationToken cancellationToken)
    {
        var caName = $"{name}-ca";
        var tls = await ReadAsync(kubernetes, ns, name, cancellationToken);
        var ca = await ReadAsync(kubernetes, ns, caName, cancellationToken);
        var authority = ca?.Data is { } caData && caData.TryGetValue("ca.crt", out var caCrt) && caData.TryGetValue("ca.key", out var caKey)
            ? new PemPair(Encoding.UTF8.GetString(caCrt), Encoding.UTF8.GetString(caKey))
            : null;
        var serving = tls?.Data is { } tlsData && tlsData.TryGetValue("tls.crt", out var crt) ? Encoding.UTF8.GetString(crt) : null;
        var now = TimeProvider.System.GetUtcNow();
        var decision = TlsSecretPlan.Decide(serving, authority, now, TimeSpan.FromDays(renewDays));
        await context.Output.WriteLineAsync($"secret {ns}/{name}: {decision.Action.ToString().ToLowerInvariant()}: {decision.Reason}");
        if (decision.Action == TlsSecretAction.Keep)
        {
            return ExitCodes.Ok;
        }

        var from = now.AddMinutes(-5);
        if (decision.Action == TlsSecretAction.Create || authority is null)
        {
            authority = CertificateMaker.Authority("romana-aws controller API CA", from, TimeSpan.FromDays(days * 10));

            // The CA first: a Job that dies between the two writes finds its CA on the next run and renews with it.
            await WriteAsync(kubernetes, ns, caName, ca, new Dictionary<string, byte[]> { ["ca.crt"] = Bytes(authority.Certificate), ["ca.key"] = Bytes(authority.Key) }, cancellationToken);
        }

        var pair = CertificateMaker.Serving(authority, dnsNames, [], from, TimeSpan.FromDays(days));
        await WriteAsync(kubernetes, ns, name, tls, new Dictionary<string, byte[]> { ["ca.crt"] = Bytes(authority.Certificate), ["tls.crt"] = Bytes(pair.Certificate), ["tls.key"] = Bytes(pair.Key) }, cancellationToken);
        await context.Output.WriteLineAsync($"secret {ns}/{name}: serving certificate for {string.Join(", ", dnsNames)} until {from.AddDays(days):u}; the controller takes it without a restart");
        return ExitCodes.Ok;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<V1Secret?> ReadAsync(IKubernetes kubernetes, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the Secret, or replaces it at the version read (a concurrent writer makes this run fail, and the Job retry).</summary>
    private static async Task WriteAsync(IKubernetes kubernetes, string ns, string name, V1Secret? existing, Dictionary<string, byte[]> data, CancellationToken cancellationToken)
    {
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["k8s-addon"] = "romana-aws.romana.io" }, ResourceVersion = existing?.Metadata?.ResourceVersion },
            Type = "Opaque",
            Data = data,
        };
        if (existing is null)
        {
            await kubernetes.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken);
        }
        else
        {
            await kubernetes.CoreV1.ReplaceNamespacedSecretAsync(secret, name, ns, cancellationToken: cancellationToken);
        }
    }
}
