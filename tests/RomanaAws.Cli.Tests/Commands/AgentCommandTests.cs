namespace RomanaAws.Cli.Tests.Commands;

public sealed class AgentCommandTests
{
    [Theory]
    [InlineData(new string[] { "agent", "--instance-id", "i-1", "--once" }, "exactly one of --controller URL or --desired FILE")]
    [InlineData(new string[] { "agent", "--controller", "http://127.0.0.1:1/", "--desired", "x.json", "--instance-id", "i-1" }, "exactly one of")]
    [InlineData(new string[] { "agent", "--desired", "/nonexistent/d.json", "--instance-id", "i-1" }, "file not found")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--policies", "/nonexistent", "--instance-id", "i-1" }, "directory not found")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--listen", "nowhere", "--instance-id", "i-1" }, "--listen 'nowhere'")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--poll-seconds", "0", "--instance-id", "i-1" }, "--poll-seconds 0: must be from 1 to --resync-seconds (30)")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--poll-seconds", "60", "--instance-id", "i-1" }, "--poll-seconds 60: must be from 1 to --resync-seconds (30)")]
    public async Task Agent_BadUsage_ExitsTwoSayingWhy(string[] args, string expected)
    {
        var run = await CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
