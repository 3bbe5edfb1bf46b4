using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RomanaAws.Core.Security;

namespace RomanaAws.Core.Tests.Security;

/// <summary>The agent's trust in the controller's certificate: the CA bundle only, the name asked for, the rotation's two CAs.</summary>
public sealed class CaTrustTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-5);

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-catrust-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static X509Certificate2 Leaf(PemPair ca, string name) =>
        X509Certificate2.CreateFromPem(CertificateMaker.Serving(ca, [name], [IPAddress.Loopback], Start, TimeSpan.FromDays(1)).Certificate);

    private string Bundle(params PemPair[] cas)
    {
        var path = Path.Combine(_directory, $"ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(path, string.Join('\n', cas.Select(c => c.Certificate)));
        return path;
    }

    [Fact]
    public void Validate_ChainsToTheBundle_NamesTheServer_NothingElse()
    {
        var ca = CertificateMaker.Authority("ca", Start, TimeSpan.FromDays(10));
        var other = CertificateMaker.Authority("other", Start, TimeSpan.FromDays(10));
        var trust = new CaTrust(Bundle(ca), TimeProvider.System, "romana-aws-controller.romana-aws.svc");
        using var good = Leaf(ca, "romana-aws-controller.romana-aws.svc");
        using var wrongName = Leaf(ca, "evil.example");
        using var forged = Leaf(other, "romana-aws-controller.romana-aws.svc");

        // SslStream's own verdict has the chain error (not in the system roots) and, for an IP URL, the name mismatch.
        const SslPolicyErrors Sslstream = SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch;
        Assert.True(trust.Validate(good, Sslstream));
        Assert.False(trust.Validate(wrongName, Sslstream));
        Assert.False(trust.Validate(forged, Sslstream));
        Assert.False(trust.Validate(null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void Validate_WithoutAServerName_TheUrlHostMustMatch()
    {
        var ca = CertificateMaker.Authority("ca", Start, TimeSpan.FromDays(10));
        var trust = new CaTrust(Bundle(ca), TimeProvider.System);
        using var leaf = Leaf(ca, "controller.internal");
        Assert.True(trust.Validate(leaf, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(leaf, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void Validate_ABundleOfTheOldAndNewCa_TrustsBoth_ForARotation()
    {
        var old = CertificateMaker.Authority("old", Start, TimeSpan.FromDays(10));
        var next = CertificateMaker.Authority("next", Start, TimeSpan.FromDays(10));
        var trust = new CaTrust(Bundle(old, next), TimeProvider.System, "n");
        using var a = Leaf(old, "n");
        using var b = Leaf(next, "n");
        Assert.Equal(2, trust.Authorities.Count);
        Assert.True(trust.Validate(a, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(trust.Validate(b, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Authorities_AFileWithoutCertificates_IsRefusedNamingWhy()
    {
        var path = Path.Combine(_directory, "empty.crt");
        File.WriteAllText(path, "not pem");
        var ex = Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new CaTrust(path, TimeProvider.System).Authorities);
        Assert.Contains("holds no PEM certificate", ex.Message, StringComparison.Ordinal);
    }
}
