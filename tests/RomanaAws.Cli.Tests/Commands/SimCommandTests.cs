using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using RomanaAws.Cli.Commands;

namespace RomanaAws.Cli.Tests.Commands;

public sealed class SimCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-sim-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Sim_BadScenario_ExitsTwoNamingTheFields()
    {
        var path = Path.Combine(_directory, "bad.yaml");
        await File.WriteAllTextAsync(path, "vpc: { cidr: 10.0.0.0/16 }\nzones: [z]\nsubnets: [{ name: s, zone: y, cidr: 10.0.0.0/24 }]\nrouteTables: []\n");
        var run = await CliRun.Of("sim", "--scenario", path, "--port", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("subnets[0].zone: 'y' is not one of zones (z)", run.Error, StringComparison.Ordinal);
        Assert.Contains("exactly one table must have main: true", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_BadPortOrBind_ExitsTwo()
    {
        Assert.Equal(2, (await CliRun.Of("sim", "--scenario", CliRun.Example("sim-3zone.yaml"), "--port", "70000")).ExitCode);
        Assert.Equal(2, (await CliRun.Of("sim", "--scenario", CliRun.Example("sim-3zone.yaml"), "--bind", "localhost:1")).ExitCode);
    }

    [Fact]
    public async Task Sim_Runs_ServesTheSdk_StopsOnCancel()
    {
        using var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var cancel = new CancellationTokenSource();
        var context = new CliContext(synchronized, synchronized, cancel.Token);
        var run = SimCommand.RunAsync(context, new FileInfo(CliRun.Example("sim-3zone.yaml")), 0, "127.0.0.1", cancel.Token);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? url = null;
        while (url is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the simulator did not print its URL");
            var text = Read(synchronized, output);
            Assert.False(run.IsCompleted, text);
            url = System.Text.RegularExpressions.Regex.Match(text, @"listening on (http://127\.0\.0\.1:\d+/)").Groups[1].Value is { Length: > 0 } found ? found : null;
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        using (var ec2 = new AmazonEC2Client(new BasicAWSCredentials("a", "b"), new AmazonEC2Config { ServiceURL = url, AuthenticationRegion = "us-east-1" }))
        {
            Assert.Equal(4, (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest())).RouteTables.Count);
        }

        Assert.Contains("health i-0a000000000000002: http://127.0.0.1:", Read(synchronized, output), StringComparison.Ordinal);
        await cancel.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The synchronized writer locks on itself while writing; read the buffer under the same lock.</summary>
    private static string Read(TextWriter synchronized, StringWriter buffer)
    {
        lock (synchronized)
        {
            return buffer.ToString();
        }
    }
}
