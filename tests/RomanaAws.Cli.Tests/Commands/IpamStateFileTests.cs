using System.Text;
using System.Text.Json;

namespace RomanaAws.Cli.Tests.Commands;

/// <summary>The ipam commands against a state file that is shared, held, corrupted or edited by hand.</summary>
public sealed class IpamStateFileTests : IDisposable
{
    private const string Host1 = "i-0000abc0000000001";

    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cli-").FullName;

    private string State => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task InitAsync() =>
        Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", State, "--hosts", CliRun.Example("hosts.yaml"))).ExitCode);

    private async Task<int> PodCountAsync()
    {
        var show = await CliRun.Of("ipam", "show", "--state", State, "--output", "json");
        Assert.Equal(0, show.ExitCode);
        using var json = JsonDocument.Parse(show.Output);
        return json.RootElement.GetProperty("networks").EnumerateArray().Sum(n => n.GetProperty("addressesAllocated").GetInt32());
    }

    /// <summary>One bit flipped in the networks section: zone us-east-1c becomes us-mast-1c. Returns the new bytes.</summary>
    private async Task<byte[]> FlipZoneNameAsync()
    {
        var bytes = await File.ReadAllBytesAsync(State);
        var text = Encoding.UTF8.GetString(bytes);
        var at = text.IndexOf("us-east-1c", text.LastIndexOf("\"networks\"", StringComparison.Ordinal), StringComparison.Ordinal);
        bytes[at + 3] ^= 0x08;
        await File.WriteAllBytesAsync(State, bytes);
        return bytes;
    }

    [Fact]
    public async Task Allocate_ConcurrentCommandsOnOneFile_AllSucceedAndNoUpdateIsLost()
    {
        await InitAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            CliRun.Of("ipam", "allocate", "--state", State, "--pod", $"default/p{i}", "--host", Host1, "--owner", "default"))));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.Equal(8, await PodCountAsync());
    }

    [Fact]
    public async Task Allocate_LockHeldPastTheTimeout_ExitsOneSayingHowLongItWaited()
    {
        await InitAsync();
        await using (var held = new FileStream(State + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var run = await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/p", "--host", Host1, "--owner", "default", "--lock-timeout", "0.2");
            Assert.Equal(1, run.ExitCode);
            Assert.Matches(@"gave up waiting for the writer lock .*state\.json\.lock after \d+\.\d s \(lock timeout 0\.2 s\)", run.Error);
        }

        Assert.Equal(0, await PodCountAsync());
    }

    [Fact]
    public async Task Release_BadLockTimeout_ExitsTwo()
    {
        var run = await CliRun.Of("ipam", "release", "--state", State, "--pod", "p", "--lock-timeout", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--lock-timeout -1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allocate_OneBitFlipInTheFile_RefusedAndNeverWrittenBack()
    {
        await InitAsync();
        var bytes = await FlipZoneNameAsync();

        var run = await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/p", "--host", Host1, "--owner", "default");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{State}: integrity check failed", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("us-mast-1c)", run.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(State));
    }

    [Fact]
    public async Task Reseal_HandEditedFile_ChecksItThenSealsIt()
    {
        await InitAsync();
        Assert.Equal(0, (await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/web-1", "--host", Host1, "--owner", "default")).ExitCode);
        await File.WriteAllTextAsync(State, (await File.ReadAllTextAsync(State)).Replace("\"default/web-1\"", "\"default/web-2\"", StringComparison.Ordinal));
        Assert.Equal(1, (await CliRun.Of("ipam", "show", "--state", State)).ExitCode);

        var reseal = await CliRun.Of("ipam", "reseal", "--state", State);
        Assert.Equal(0, reseal.ExitCode);
        Assert.Contains("content changed outside romana-aws", reseal.Output, StringComparison.Ordinal);
        Assert.Contains("sealed as revision 3", reseal.Output, StringComparison.Ordinal);
        var release = await CliRun.Of("ipam", "release", "--state", State, "--pod", "default/web-2");
        Assert.Contains("released 100.96.1.0", release.Output, StringComparison.Ordinal);

        var again = await CliRun.Of("ipam", "reseal", "--state", State);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("intact; nothing to do", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reseal_InconsistentEdit_RefusedAndUntouched()
    {
        await InitAsync();
        var before = await FlipZoneNameAsync();
        var reseal = await CliRun.Of("ipam", "reseal", "--state", State);
        Assert.Equal(1, reseal.ExitCode);
        Assert.Contains("zone 'us-mast-1c' is not in the stored topology", reseal.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(State));
    }
}
