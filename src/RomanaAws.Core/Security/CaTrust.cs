using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RomanaAws.Core.Security;

/// <summary>
/// Trust in the controller's certificate from a PEM CA bundle alone (not the system roots), re-read when the file
/// changes: during a CA rotation the bundle holds the old and the new CA, so both the old and the new serving
/// certificate are accepted and no request fails. The certificate must name the host of the URL called, or
/// <paramref name="serverName"/> when given: the agent calls the controller's Service IP and a standby its leader's
/// pod IP, which no certificate made at install can name, so both check for the Service's DNS name instead.
/// </summary>
public sealed class CaTrust(string caFile, TimeProvider time, string? serverName = null)
{
    private readonly ReloadingFiles<X509Certificate2Collection> _bundle = new([caFile], Load, time, TimeSpan.FromSeconds(1));

    public string CaFile => caFile;

    /// <summary>The CA certificates now trusted (throws when the file cannot be read or holds none).</summary>
    public X509Certificate2Collection Authorities => _bundle.Current;

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (serverName is null && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return (serverName is null || copy.MatchesHostname(serverName)) && chain.Build(copy);
    }

    /// <summary>A handler that trusts exactly this bundle (for the agent's and the standby's HttpClient).</summary>
    public void Apply(System.Net.Http.SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors);
    }

    private static X509Certificate2Collection Load(IReadOnlyList<byte[]> contents)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(System.Text.Encoding.UTF8.GetString(contents[0]));
        return bundle.Count > 0 ? bundle : throw new System.Security.Cryptography.CryptographicException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
