using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RomanaAws.Core.Security;

/// <summary>A certificate and its private key, as PEM text.</summary>
public sealed record PemPair(string Certificate, string Key);

/// <summary>
/// The controller API's own small PKI, with .NET's <see cref="CertificateRequest"/> (no openssl, no cert-manager
/// needed): a dedicated CA (ECDSA P-256), and serving certificates it signs for the controller's Service names and
/// addresses. Used by <c>romana-aws tls create</c>, and by the tests to make real, forged and rotated certificates.
/// </summary>
public static class CertificateMaker
{
    public static PemPair Authority(string commonName, DateTimeOffset notBefore, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(notBefore, notBefore + lifetime);
        return new PemPair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A serving certificate signed by <paramref name="authority"/>, naming <paramref name="dnsNames"/> and <paramref name="addresses"/>.</summary>
    public static PemPair Serving(PemPair authority, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses, DateTimeOffset notBefore, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        using var issuer = X509Certificate2.CreateFromPem(authority.Certificate, authority.Key);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(dnsNames.Count > 0 ? dnsNames[0] : addresses[0].ToString())}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // Within the issuer's own validity (a certificate the CA could not have signed is refused by every client).
        var end = notBefore + lifetime;
        if (end > issuer.NotAfter)
        {
            end = issuer.NotAfter;
        }

        if (notBefore < issuer.NotBefore)
        {
            notBefore = issuer.NotBefore;
        }

        using var certificate = request.Create(issuer, notBefore, end, RandomNumberGenerator.GetBytes(16));
        return new PemPair(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
