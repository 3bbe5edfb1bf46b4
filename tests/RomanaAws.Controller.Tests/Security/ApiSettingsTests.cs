using RomanaAws.Controller.Configuration;

namespace RomanaAws.Controller.Tests.Security;

public sealed class ApiSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-api-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<string> Problems(ApiSettings settings, string listen, bool kubernetes = true) =>
        settings.Validate(listen, kubernetes).Select(p => $"{p.Key}: {p.Message}").ToList();

    [Fact]
    public void Loopback_NeedsNothing_AndIsNotAuthenticated()
    {
        var settings = new ApiSettings();
        Assert.Empty(Problems(settings, "127.0.0.1:9610", kubernetes: false));
        Assert.False(settings.Authenticates(System.Net.IPEndPoint.Parse("127.0.0.1:9610")));
        Assert.True(settings.Authenticates(System.Net.IPEndPoint.Parse("0.0.0.0:9610")));
    }

    [Fact]
    public void BeyondLoopback_WithoutTls_OrWithAuthNone_OrWithoutKubernetes_IsRefusedNamingTheFix()
    {
        var problems = Problems(new ApiSettings(), "0.0.0.0:9610", kubernetes: false);
        Assert.Contains(problems, p => p.StartsWith("api:tlsCertFile: is required: controller.listen 0.0.0.0:9610 is beyond loopback", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("api:auth: verifies tokens with the Kubernetes API's TokenReview, but there is no Kubernetes API", StringComparison.Ordinal));
        Assert.Contains(Problems(new ApiSettings { Auth = "none" }, "10.0.0.5:9610"), p => p.Contains("none is refused beyond loopback", StringComparison.Ordinal));

        // A private lab says so explicitly.
        Assert.Empty(Problems(new ApiSettings { Insecure = true }, "0.0.0.0:9610", kubernetes: false));
    }

    [Fact]
    public void TlsFiles_BothOrNeither_AndReadable()
    {
        var cert = Path.Combine(_directory, "tls.crt");
        File.WriteAllText(cert, "x");
        Assert.Contains(Problems(new ApiSettings { TlsCertFile = cert }, "127.0.0.1:9610"), p => p.StartsWith("api:tlsKeyFile: is missing; give both", StringComparison.Ordinal));
        Assert.Contains(Problems(new ApiSettings { TlsCertFile = cert, TlsKeyFile = Path.Combine(_directory, "nope.key") }, "127.0.0.1:9610"), p => p.StartsWith("api:tlsKeyFile: is not a readable file", StringComparison.Ordinal));
        var key = Path.Combine(_directory, "tls.key");
        File.WriteAllText(key, "y");
        Assert.Contains(Problems(new ApiSettings { TlsCertFile = cert, TlsKeyFile = key }, "127.0.0.1:9610"), p => p.StartsWith($"api:tlsCertFile: cannot be served with api.tlsKeyFile {key}:", StringComparison.Ordinal));
        Assert.Contains(Problems(new ApiSettings { Auth = "sometimes" }, "127.0.0.1:9610"), p => p.StartsWith("api:auth: must be auto", StringComparison.Ordinal));
        Assert.Contains(Problems(new ApiSettings { AgentServiceAccount = "romana-aws-agent" }, "127.0.0.1:9610"), p => p.StartsWith("api:agentServiceAccount: must be system:serviceaccount:NAMESPACE:NAME", StringComparison.Ordinal));
    }
}
