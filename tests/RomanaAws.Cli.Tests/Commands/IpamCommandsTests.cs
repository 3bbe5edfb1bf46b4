using System.Text.Json;

namespace RomanaAws.Cli.Tests.Commands;

public sealed class IpamCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cli-").FullName;

    private string State => Path.Combine(_directory, "state.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Plan_Json_HasTheDocumentedShape()
    {
        var run = await CliRun.Of("ipam", "plan", "--config", CliRun.Example("topology.yaml"), "--hosts", CliRun.Example("hosts.yaml"), "--output", "json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(50, root.GetProperty("routeLimit").GetInt32());
        Assert.Equal(5, root.GetProperty("routeHeadroom").GetInt32());
        var network = Assert.Single(root.GetProperty("networks").EnumerateArray());
        Assert.Equal("100.96.0.0/11", network.GetProperty("cidr").GetString());
        var zones = network.GetProperty("zones").EnumerateArray().ToList();
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], zones.Select(z => z.GetProperty("name").GetString()));
        Assert.Equal("100.96.0.0/13", zones[0].GetProperty("cidr").GetString());
        var groups = zones.SelectMany(z => z.GetProperty("groups").EnumerateArray()).ToList();
        var hosts = groups.Sum(g => g.GetProperty("hosts").GetArrayLength());
        Assert.Equal(17, hosts);
        Assert.All(groups, g => Assert.StartsWith("subnet-", g.GetProperty("subnet").GetString(), StringComparison.Ordinal));
        Assert.Equal(groups.Count(g => g.GetProperty("hosts").GetArrayLength() > 0), root.GetProperty("routesPerTable").GetInt32());
    }

    [Fact]
    public async Task Plan_Table_ShowsBudgetAndSpare()
    {
        var run = await CliRun.Of("ipam", "plan", "--config", CliRun.Example("topology.yaml"), "--hosts", CliRun.Example("hosts.yaml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Routes per table: 14 now, up to 24 planned; budget 45", run.Output, StringComparison.Ordinal);
        Assert.Contains("spare space: 100.120.0.0/13", run.Output, StringComparison.Ordinal);
        Assert.Contains("100.96.0.0/16", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateLifecycle_InitAllocateShowReleaseRemove()
    {
        var config = CliRun.Example("topology.yaml");
        Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", config, "--state", State, "--hosts", CliRun.Example("hosts.yaml"))).ExitCode);
        Assert.Equal(1, (await CliRun.Of("ipam", "init", "--config", config, "--state", State)).ExitCode);

        var first = await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/web-1", "--host", "i-0000abc0000000001", "--owner", "default", "--output", "json");
        Assert.Equal(0, first.ExitCode);
        using (var json = JsonDocument.Parse(first.Output))
        {
            Assert.Equal("100.96.1.0", json.RootElement.GetProperty("address").GetString());
            Assert.Equal("100.96.1.0/28", json.RootElement.GetProperty("block").GetString());
        }

        var again = await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/web-1", "--host", "i-0000abc0000000001", "--owner", "default");
        Assert.StartsWith("100.96.1.0 ", again.Output, StringComparison.Ordinal);

        var show = await CliRun.Of("ipam", "show", "--state", State);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("revision 3", show.Output, StringComparison.Ordinal);
        Assert.Contains("1 pod address(es)", show.Output, StringComparison.Ordinal);

        var release = await CliRun.Of("ipam", "release", "--state", State, "--pod", "default/web-1");
        Assert.Contains("released 100.96.1.0", release.Output, StringComparison.Ordinal);
        var idempotent = await CliRun.Of("ipam", "release", "--state", State, "--pod", "default/web-1");
        Assert.Equal(0, idempotent.ExitCode);
        Assert.Contains("nothing to release", idempotent.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRun.Of("ipam", "hosts", "remove", "--state", State, "--instance-id", "i-0000abc0000000001")).ExitCode);
        var add = await CliRun.Of("ipam", "hosts", "add", "--state", State, "--instance-id", "i-0000abc00000000ff", "--zone", "us-east-1b", "--subnet", "subnet-0b1b1b1b1b1b1b1b1", "--ip", "172.20.64.99");
        Assert.Equal(0, add.ExitCode);
        Assert.Contains("zone us-east-1b", add.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_ClaimedAndPodBlocks_TableListsUsedOverCapacity()
    {
        Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", State, "--hosts", CliRun.Example("hosts.yaml"))).ExitCode);
        Assert.Equal(0, (await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "default/web-1", "--host", "i-0000abc0000000001", "--owner", "default")).ExitCode);

        // A block claimed by an agent (as the controller records it) with its last usage report.
        var store = new RomanaAws.Core.Persistence.FileIpamStateStore(State);
        var document = (await store.LoadAsync(CancellationToken.None))!;
        var ipam = RomanaAws.Core.Ipam.Ipam.FromDocument(document, State);
        var claimed = ipam.ClaimBlock("i-0000abc0000000001", "kube-system");
        ipam.ReportUsage("i-0000abc0000000001", new Dictionary<RomanaAws.Core.Net.Cidr, int> { [claimed.Cidr] = 7 });
        await store.SaveAsync(ipam.ToDocument(), document.Revision, CancellationToken.None);

        var show = await CliRun.Of("ipam", "show", "--state", State);
        Assert.Equal(0, show.ExitCode);
        var rows = show.Output.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains("NETWORK BLOCK HOST OWNER USED KIND", rows);
        Assert.Contains("pods 100.96.1.0/28 i-0000abc0000000001 default 1/16 pods", rows);
        Assert.Contains($"pods {claimed.Cidr} i-0000abc0000000001 kube-system 7/16 claimed", rows);

        var json = await CliRun.Of("ipam", "show", "--state", State, "--output", "json");
        using var parsed = JsonDocument.Parse(json.Output);
        Assert.Equal([1, 7], parsed.RootElement.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("used").GetInt32()));
    }

    [Fact]
    public async Task Allocate_UnknownHost_ExitsOne()
    {
        await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", State);
        var run = await CliRun.Of("ipam", "allocate", "--state", State, "--pod", "p", "--host", "i-0123456789abcdef0", "--owner", "default");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("host i-0123456789abcdef0 is not registered", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_CorruptState_ExitsOneNamingTheFile()
    {
        await File.WriteAllTextAsync(State, "{\"schema\":\"romana-aws/ipam-state\",\"schemaVersion\":1,\"revision\":4,\"topology\":{");
        var run = await CliRun.Of("ipam", "show", "--state", State);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{State}: the state file is corrupt or truncated", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_MissingState_SaysHowToCreateIt()
    {
        var run = await CliRun.Of("ipam", "show", "--state", State);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("romana-aws ipam init", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_AddZone_ThenRefuseRemovingAPopulatedOne()
    {
        await CliRun.Of("ipam", "init", "--config", CliRun.Example("topology.yaml"), "--state", State, "--hosts", CliRun.Example("hosts.yaml"));
        var grown = Path.Combine(_directory, "grown.yaml");
        var text = await File.ReadAllTextAsync(CliRun.Example("topology.yaml"));
        await File.WriteAllTextAsync(grown, text.Replace("  - name: us-east-1c\n", "  - name: us-east-1c\n  - name: us-east-1d\n", StringComparison.Ordinal));
        var apply = await CliRun.Of("ipam", "apply", "--config", grown, "--state", State);
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("zone 'us-east-1d' added", apply.Output, StringComparison.Ordinal);

        var shrunk = Path.Combine(_directory, "shrunk.yaml");
        await File.WriteAllTextAsync(shrunk, text.Replace("  - name: us-east-1c\n", string.Empty, StringComparison.Ordinal));
        var refused = await CliRun.Of("ipam", "apply", "--config", shrunk, "--state", State);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("zone 'us-east-1c' is removed but host i-0000abc000000000d is in it", refused.Error, StringComparison.Ordinal);
    }
}
