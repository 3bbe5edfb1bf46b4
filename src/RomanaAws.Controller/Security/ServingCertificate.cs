using System.Security.Cryptography.X509Certificates;
using RomanaAws.Core.Security;

namespace RomanaAws.Controller.Security;

/// <summary>
/// The API's TLS certificate from PEM files, chosen per handshake and re-read when the files change (the kubelet
/// swaps a mounted Secret atomically): a rotated certificate serves new connections at once, open ones finish on the
/// old one, nothing restarts. A pair that does not load (a half-finished copy) keeps the previous one.
/// </summary>
public sealed class ServingCertificate(string certFile, string keyFile, TimeProvider time)
{
    private readonly ReloadingFiles<X509Certificate2> _files = new([certFile, keyFile], Load, time, TimeSpan.FromSeconds(1));

    public X509Certificate2 Current => _files.Current;

    /// <summary>Why the last change was not taken; null when the files' content is served.</summary>
    public string? LastError => _files.LastError;

    private static X509Certificate2 Load(IReadOnlyList<byte[]> contents)
    {
        using var pem = X509Certificate2.CreateFromPem(System.Text.Encoding.UTF8.GetString(contents[0]), System.Text.Encoding.UTF8.GetString(contents[1]));

        // A key held in memory only cannot be used by SslStream on every platform; an exported and re-imported PKCS#12 can.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
