using System.Net;
using System.Net.Sockets;
using RomanaAws.Tests.Shared;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Cli.Tests.Hardening;

/// <summary>
/// The controller against endpoints that answer wrongly, or against a VPC and tables that do not exist: a named
/// failure (exit 1), never a stack trace and never a quiet "reconciled 0 tables".
/// </summary>
public sealed class HostileEndpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-endpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config(Uri endpoint, string extra = "")
    {
        var text = File.ReadAllText(CliRun.Example("controller.yaml"))
            .Replace("http://127.0.0.1:4566/", endpoint.ToString(), StringComparison.Ordinal)
            .Replace("stateFile: romana-ipam-state.json", $"stateFile: {Path.Combine(_directory, "state.json")}", StringComparison.Ordinal)
            .Replace("aws:\n", "aws:\n  maxRetries: 0\n", StringComparison.Ordinal)
            .Replace("controller:\n", "controller:\n" + extra, StringComparison.Ordinal);
        var path = Path.Combine(_directory, "controller.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("random")]
    [InlineData("cut-off")]
    public async Task Once_MalformedAnswer_ExitOneNamingCallAndEndpoint(string kind)
    {
        byte[] body = kind == "random"
            ? Enumerable.Range(0, 300).Select(i => (byte)(i * 31 % 251)).ToArray()
            : "<?xml version=\"1.0\"?><DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><reservationSet><item>"u8.ToArray();
        await using var server = new CannedHttpServer(body);
        var run = await CliRun.Of("controller", "--config", Config(server.Url), "--once");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("DescribeInstances", run.Error, StringComparison.Ordinal);
        Assert.Contains(server.Url.ToString(), run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_WellFormedWrongXml_FailsBecauseNothingIsManaged()
    {
        await using var server = new CannedHttpServer("<?xml version=\"1.0\"?><Foo><bar/></Foo>"u8.ToArray());
        var run = await CliRun.Of("controller", "--config", Config(server.Url), "--once");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no VPC to manage", run.Error, StringComparison.Ordinal);
        Assert.Contains("VPC (none found)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_NonexistentVpcOrTable_FailsNamingIt()
    {
        var scenario = ScenarioLoader.Parse(await File.ReadAllTextAsync(CliRun.Example("sim-3zone.yaml")), "sim-3zone.yaml");
        scenario.HealthEndpoints = false;
        scenario.TransitionSeconds = 0;
        await using var sim = await VpcSimulator.StartAsync(scenario);

        var vpc = await CliRun.Of("controller", "--config", Config(sim.Endpoint, "  vpcId: vpc-0000000000000dead\n"), "--once");
        Assert.Equal(1, vpc.ExitCode);
        Assert.Contains("controller.vpcId vpc-0000000000000dead: EC2 lists no route table in it", vpc.Error, StringComparison.Ordinal);

        var table = await CliRun.Of("controller", "--config", Config(sim.Endpoint, "  routeTables: [rtb-0000000000000dead]\n"), "--once");
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("controller.routeTables: rtb-0000000000000dead does not exist in VPC", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_ListenAddressTaken_ExitOneNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        await using var server = new CannedHttpServer("<?xml version=\"1.0\"?><Foo/>"u8.ToArray());
        var config = Config(server.Url).Replace("controller.yaml", "controller.yaml", StringComparison.Ordinal);
        File.WriteAllText(config, File.ReadAllText(config).Replace("listen: 127.0.0.1:9610", $"listen: {address}", StringComparison.Ordinal));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["controller", "--config", config], output, error, cancel.Token);
        Assert.Equal(1, code);
        Assert.Contains($"controller.listen {address}: the address is already in use", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.ToString() + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_ListenAddressTaken_ExitOneNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var desired = Path.Combine(_directory, "desired.json");
        File.WriteAllText(desired, "{}");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["agent", "--desired", desired, "--instance-id", "i-0000000000000aaaa", "--listen", address, "--netns", "romana-test-no-such-netns"], output, error, cancel.Token);
        Assert.Equal(1, code);
        Assert.Contains($"--listen {address}: the address is already in use", error.ToString(), StringComparison.Ordinal);
    }
}
