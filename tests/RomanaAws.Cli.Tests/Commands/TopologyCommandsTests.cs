using System.Text.Json;

namespace RomanaAws.Cli.Tests.Commands;

public sealed class TopologyCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Validate_ShippedExample_ExitsZero()
    {
        var run = await CliRun.Of("topology", "validate", "--config", CliRun.Example("topology.yaml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("valid", run.Output, StringComparison.Ordinal);
        Assert.Contains("up to 24 per table; budget 45", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadFile_ExitsTwoListingEveryProblem()
    {
        var path = Write("bad.yaml", "cluster: c1\nnetworks:\n  - name: pods\n    cidr: 10.0.0.1/16\n    blockMsk: 26\n");
        var run = await CliRun.Of("topology", "validate", "--config", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("2 problems", run.Error, StringComparison.Ordinal);
        Assert.Contains("networks[0].cidr (line 4): '10.0.0.1/16': '10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?", run.Error, StringComparison.Ordinal);
        Assert.Contains("networks[0].blockMsk (line 5): unknown key; did you mean 'blockMask'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_JsonOutput_CarriesStructuredErrors()
    {
        var path = Write("bad.yaml", "cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11}\ngroupsPerSubnet: 3\n");
        var run = await CliRun.Of("topology", "validate", "--config", path, "--output", "json");
        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("groupsPerSubnet", error.GetProperty("path").GetString());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Equal("3", error.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwoNamingIt()
    {
        var run = await CliRun.Of("topology", "validate", "--config", Path.Combine(_directory, "nope.yaml"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.yaml: file not found", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topology", "validate")]
    [InlineData("no-such-command")]
    [InlineData("ipam", "plan", "--config", "x", "--output", "xml")]
    public async Task BadUsage_ExitsTwoWithHint(params string[] args)
    {
        var run = await CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help' for usage", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsCommandsAndExitsZero()
    {
        var run = await CliRun.Of("ipam", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "plan", "init", "apply", "show", "hosts", "allocate", "release" })
        {
            Assert.Contains(command, run.Output, StringComparison.Ordinal);
        }
    }
}
