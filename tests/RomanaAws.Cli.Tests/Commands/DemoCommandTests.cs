using System.Text.Json;

namespace RomanaAws.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_FailsOver_FiresTheAlarm_AndSummarisesAsJson()
    {
        var run = await CliRun.Of("demo", "--output", "json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var summary = JsonDocument.Parse(run.Output);
        var root = summary.RootElement;
        var failover = root.GetProperty("failover");
        Assert.StartsWith("i-0a", failover.GetProperty("from").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(failover.GetProperty("from").GetString(), failover.GetProperty("to").GetString());
        Assert.Equal(3, failover.GetProperty("tables").GetArrayLength());
        Assert.InRange(failover.GetProperty("failoverSeconds").GetDouble(), 0.01, 10);
        Assert.Equal("ALARM", root.GetProperty("alarm").GetProperty("state").GetString());
        Assert.Equal(6, root.GetProperty("routesPerTable").GetInt32());
        Assert.InRange(root.GetProperty("durationSeconds").GetDouble(), 0, 30);
    }

    [Fact]
    public async Task Demo_Table_TellsTheStory()
    {
        var run = await CliRun.Of("demo");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("stopping i-0a", run.Output, StringComparison.Ordinal);
        Assert.Contains("detected:", run.Output, StringComparison.Ordinal);
        Assert.Contains("failed over: 1 route(s) in 3 tables", run.Output, StringComparison.Ordinal);
        Assert.Contains("CloudWatch alarm romana-aws-route-failover: ALARM", run.Output, StringComparison.Ordinal);
    }
}
