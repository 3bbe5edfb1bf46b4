using System.Net;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;

namespace RomanaAws.Controller.Tests.Health;

public sealed class ProbeTargetsTests
{
    private static readonly IPAddress Private = IPAddress.Parse("10.0.1.10");

    [Theory]
    [InlineData("auto", "http://127.0.0.1:4566/", false)]
    [InlineData("auto", "http://localhost:4566/", false)]
    [InlineData("auto", "https://ec2.us-east-1.amazonaws.com/", true)]
    [InlineData("auto", null, true)]
    [InlineData("privateIp", "http://127.0.0.1:4566/", true)]
    [InlineData("simulator", "http://127.0.0.1:4566/", false)]
    public void For_TargetsAndEndpoint_ChooseWhereProbesGo(string targets, string? ec2Url, bool privateIp)
    {
        var chosen = ProbeTargets.For(new HealthCheckSettings { Targets = targets }, new AwsSettings { Ec2ServiceUrl = ec2Url });
        Assert.Equal(privateIp, chosen.UsesPrivateIp);
    }

    [Fact]
    public async Task Simulator_EndpointsFromTheAdminApi_NeverThePrivateAddress()
    {
        await using var f = await ControllerFixture.StartAsync(s => s.HealthEndpoints = true);
        var targets = ProbeTargets.Simulator(f.Simulator.Endpoint);
        var instance = f.Simulator.Control.HealthEndpoints.Keys.First();
        Assert.Null(targets.HealthUrl(instance, Private));

        using var http = new HttpClient();
        await targets.RefreshAsync(http, CancellationToken.None);
        var url = targets.HealthUrl(instance, Private);
        Assert.NotNull(url);
        Assert.True(url.IsLoopback, url.ToString());
        Assert.Equal(f.Simulator.Control.HealthEndpoints[instance], url);
        Assert.Null(targets.HealthUrl("i-0000000000000dead", Private));
    }

    [Fact]
    public async Task Simulator_AdminApiUnreachable_NoTargetAndAReason()
    {
        var targets = ProbeTargets.Simulator(new Uri("http://127.0.0.1:1/"));
        using var http = new HttpClient();
        await targets.RefreshAsync(http, CancellationToken.None);
        Assert.Null(targets.HealthUrl("i-0000000000000aaaa", Private));
        Assert.Contains("127.0.0.1:1", targets.LastRefreshError, StringComparison.Ordinal);
    }
}
