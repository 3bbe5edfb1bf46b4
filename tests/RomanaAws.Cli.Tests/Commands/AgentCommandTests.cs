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
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-1/../../x" }, "--instance-id 'i-1/../../x': must look like i-0123456789abcdef0")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-00000001", "--cni-socket", "relative.sock" }, "--cni-socket 'relative.sock': must be an absolute path")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-00000001", "--cni-socket", "/run/r/cni.sock", "--cni-version", "0.3.1" }, "--cni-version '0.3.1': must be 0.4.0, 1.0.0 or 1.1.0")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-00000001", "--cni-socket", "/run/r/cni.sock", "--cni-mtu", "40" }, "--cni-mtu 40: must be from 68 to 65535")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-00000001", "--cni-socket", "/run/r/cni.sock", "--cni-leak-grace-seconds", "0" }, "--cni-leak-grace-seconds 0: must be from 1 to 86400")]
    [InlineData(new string[] { "agent", "--desired", "/etc/hostname", "--instance-id", "i-00000001", "--cni-socket", "/run/r/cni.sock", "--cni-default-owner", " " }, "--cni-default-owner ' ': must be 1–253 characters")]
    [InlineData(new string[] { "agent", "--controller", "http://10.0.0.5:9610/", "--token-file", "/etc/hostname", "--instance-id", "i-00000001" }, "--token-file with --controller http://10.0.0.5:9610/: the token would cross the network in clear")]
    [InlineData(new string[] { "agent", "--controller", "http://127.0.0.1:9610/", "--controller-ca", "/etc/hostname", "--instance-id", "i-00000001" }, "--controller-ca is for an https --controller")]
    [InlineData(new string[] { "agent", "--controller", "https://10.0.0.5:9610/", "--controller-name", "x.svc", "--instance-id", "i-00000001" }, "--controller-name needs --controller-ca")]
    [InlineData(new string[] { "agent", "--controller", "https://10.0.0.5:9610/", "--token-file", "/nonexistent/token", "--instance-id", "i-00000001" }, "--token-file /nonexistent/token: file not found")]
    [InlineData(new string[] { "agent", "--controller", "https://10.0.0.5:9610/", "--controller-ca", "/etc/hostname", "--instance-id", "i-00000001" }, "--controller-ca /etc/hostname: holds no PEM certificate")]
    public async Task Agent_BadUsage_ExitsTwoSayingWhy(string[] args, string expected)
    {
        var run = await CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_BindAddressNotOfThisMachine_ExitOneNamingIt()
    {
        var run = await CliRun.Of("sim", "--scenario", CliRun.Example("sim-3zone.yaml"), "--bind", "192.0.2.1", "--port", "0");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--port 192.0.2.1:0: not an address of this machine", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipam_HugeOptionValue_EchoCapped()
    {
        var state = Path.Combine(Path.GetTempPath(), $"romana-echo-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", state)).ExitCode);
            var run = await CliRun.Of("ipam", "allocate", "--state", state, "--pod", new string('p', 100_000), "--host", "i-0000abc0000000001", "--owner", "default");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("(100,002 characters)", run.Error, StringComparison.Ordinal);
            Assert.True(run.Error.Length < 1000, $"{run.Error.Length} characters");
        }
        finally
        {
            File.Delete(state);
        }
    }
}
