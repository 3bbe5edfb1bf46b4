using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using RomanaAws.Core.Security;

namespace RomanaAws.Cli.Tests.Commands;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Create_MakesACaAndAServingCertificateForTheServiceName_KeysPrivate_AndARenewalKeepsTheCa()
    {
        var run = await CliRun.Of("tls", "create", "--out", _directory, "--days", "30");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("kubectl -n romana-aws create secret generic romana-aws-tls", run.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "tls.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "ca.key")));

        // What the agent checks: chains to ca.crt, names the Service; what the controller loads: the pair.
        var trust = new CaTrust(Path.Combine(_directory, "ca.crt"), TimeProvider.System, "romana-aws-controller.romana-aws.svc");
        using var first = X509Certificate2.CreateFromPemFile(Path.Combine(_directory, "tls.crt"), Path.Combine(_directory, "tls.key"));
        Assert.True(first.HasPrivateKey);
        Assert.True(trust.Validate(first, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.InRange((first.NotAfter - first.NotBefore).TotalDays, 29.9, 30.1);

        // Renewal with the same CA: a new serving certificate the same bundle trusts.
        var renewed = Path.Combine(_directory, "renewed");
        Assert.Equal(0, (await CliRun.Of("tls", "create", "--out", renewed, "--ca", _directory)).ExitCode);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_directory, "ca.crt")), await File.ReadAllTextAsync(Path.Combine(renewed, "ca.crt")));
        using var second = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(renewed, "tls.crt")));
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.True(trust.Validate(second, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Theory]
    [InlineData("--ip", "10.0.0.500", "--ip '10.0.0.500': not an IP address")]
    [InlineData("--name", "not a name", "--name 'not a name': not a DNS name")]
    [InlineData("--days", "0", "--days 0: must be from 1 to 3650")]
    [InlineData("--ca", "/nonexistent", "--ca /nonexistent: needs ca.crt and ca.key")]
    public async Task Create_BadInput_NamesTheOptionAndValue(string option, string value, string expected)
    {
        var run = await CliRun.Of("tls", "create", "--out", _directory, option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "tls.key")));
    }
}
