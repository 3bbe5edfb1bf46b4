using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RomanaAws.Core.Security;
using RomanaAws.KubeSim;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Cli.Tests.Deployment;

/// <summary>
/// The kops addon's certificates Job (<c>tls ensure-secret</c>) against the API stand-in: creates the Secrets on a fresh
/// cluster, keeps a good certificate, renews a near-expiry one from the same CA, leaves an operator's own alone, and
/// asks for exactly what its Role grants.
/// </summary>
public sealed class TlsSecretJobTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-tls-job-").FullName;
    private KubeSimulator _sim = null!;

    private string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Namespaces = ["default", "romana-aws"] });
        await File.WriteAllTextAsync(Kubeconfig, _sim.Kubeconfig());
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<CliRun> EnsureAsync() => CliRun.Of("tls", "ensure-secret", "--kubeconfig", Kubeconfig);

    private string Data(string secret, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(_sim.Store.Get(KubeResource.Secrets, "romana-aws", secret)["data"]![key]!.GetValue<string>()));

    [Fact]
    public async Task EnsureSecret_CreatesThenKeeps_RenewsFromTheSameCa_LeavesAnOperatorsOwn_WithinItsRole()
    {
        // A fresh cluster: both Secrets, a serving certificate of the kept CA for the Service name.
        var first = await EnsureAsync();
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("secret romana-aws/romana-aws-tls: create: no certificate yet", first.Output, StringComparison.Ordinal);
        var caPem = Data("romana-aws-tls-ca", "ca.crt");
        Assert.Equal(caPem, Data("romana-aws-tls", "ca.crt"));
        Assert.DoesNotContain("ca.key", _sim.Store.Get(KubeResource.Secrets, "romana-aws", "romana-aws-tls")["data"]!.AsObject().Select(p => p.Key));
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), caPem);
        var trust = new CaTrust(Path.Combine(_directory, "ca.crt"), TimeProvider.System, "romana-aws-controller.romana-aws.svc");
        using (var serving = X509Certificate2.CreateFromPem(Data("romana-aws-tls", "tls.crt"), Data("romana-aws-tls", "tls.key")))
        {
            Assert.True(trust.Validate(serving, SslPolicyErrors.RemoteCertificateChainErrors));
        }

        // Run again (the daily CronJob): a good certificate is kept, nothing written.
        var version = _sim.Store.Get(KubeResource.Secrets, "romana-aws", "romana-aws-tls")["metadata"]!["resourceVersion"]!.GetValue<string>();
        Assert.Contains(": keep: the serving certificate is good until", (await EnsureAsync()).Output, StringComparison.Ordinal);
        Assert.Equal(version, _sim.Store.Get(KubeResource.Secrets, "romana-aws", "romana-aws-tls")["metadata"]!["resourceVersion"]!.GetValue<string>());

        // Ten days left: renewed from the same CA, so every agent's ca.crt still trusts it.
        var authority = new PemPair(caPem, Data("romana-aws-tls-ca", "ca.key"));
        var ending = CertificateMaker.Serving(authority, ["romana-aws-controller.romana-aws.svc"], [], DateTimeOffset.UtcNow.AddDays(-355), TimeSpan.FromDays(365));
        var secret = _sim.Store.Get(KubeResource.Secrets, "romana-aws", "romana-aws-tls");
        secret["data"]!["tls.crt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(ending.Certificate));
        _sim.Store.Update(KubeResource.Secrets, "romana-aws", "romana-aws-tls", secret, false);
        var renew = await EnsureAsync();
        Assert.Contains(": renew: the serving certificate ends at", renew.Output, StringComparison.Ordinal);
        Assert.Equal(caPem, Data("romana-aws-tls", "ca.crt"));
        using (var renewed = X509Certificate2.CreateFromPem(Data("romana-aws-tls", "tls.crt")))
        {
            Assert.True(renewed.NotAfter > DateTime.UtcNow.AddDays(300));
            Assert.True(trust.Validate(renewed, SslPolicyErrors.RemoteCertificateChainErrors));
        }

        // Exactly what the Job's Role grants.
        var called = _sim.Requests.Where(r => r.Status is >= 200 and < 300).Select(r => $"{r.Group}/{r.Resource}:{r.Verb}").ToHashSet();
        Assert.Equal((await KopsRbac.GrantedAsync("romana-aws-tls")).Order(), called.Order());

        // An operator's own certificates (no CA kept in the cluster) are never touched.
        _sim.Store.Delete(KubeResource.Secrets, "romana-aws", "romana-aws-tls-ca");
        var before = Data("romana-aws-tls", "tls.crt");
        Assert.Contains(": keep: the certificates were supplied by the operator", (await EnsureAsync()).Output, StringComparison.Ordinal);
        Assert.Equal(before, Data("romana-aws-tls", "tls.crt"));
    }
}
