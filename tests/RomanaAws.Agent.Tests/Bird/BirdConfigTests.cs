using RomanaAws.Agent.Bird;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Agent.Tests.Bird;

/// <summary>
/// The renderer against golden files (tests/RomanaAws.Agent.Tests/Bgp/Golden), and each golden file against BIRD's
/// own parser (<c>bird -p</c>) when BIRD is installed (under CI=true it must be). A mismatch writes NAME.actual beside
/// the golden file, to diff and, when the change is meant, to copy over it.
/// </summary>
public sealed class BirdConfigTests
{
    private static readonly BgpAdvertisement Plain = new()
    {
        Rack = "rack-1",
        LocalAsn = 64512,
        RouterId = "10.1.0.11",
        Prefixes = [Cidr.Parse("100.96.0.0/20")],
        Neighbors = [new BgpNeighbor("10.1.0.1", 65001, null, false)],
        HoldSeconds = 9,
        KeepaliveSeconds = 3,
        RestartSeconds = 120,
        BfdIntervalMs = 100,
        BfdMultiplier = 3,
    };

    private static readonly BgpAdvertisement Everything = Plain with
    {
        Prefixes = [Cidr.Parse("100.96.0.0/20"), Cidr.Parse("100.96.0.64/26"), Cidr.Parse("100.112.0.0/20")],
        Neighbors = [new BgpNeighbor("10.1.0.1", 65001, "/etc/romana-aws/bgp/tor-a", true), new BgpNeighbor("10.1.0.2", 4200000002, null, true)],
        GracefulRestart = true,
        ImportRoutes = true,
        BfdIntervalMs = 50,
    };

    private static readonly OspfAdvertisement Ospf = new()
    {
        Rack = "rack-2",
        Area = "0.0.0.2",
        Segment = Cidr.Parse("10.2.0.0/24"),
        RouterId = "10.2.0.14",
        Prefixes = [Cidr.Parse("100.96.32.0/20")],
        HelloSeconds = 1,
        DeadSeconds = 4,
        Bfd = true,
        BfdIntervalMs = 100,
        BfdMultiplier = 3,
    };

    private static string GoldenPath(string name) => Path.Combine(Repo.Root, "tests", "RomanaAws.Agent.Tests", "Bird", "Golden", name);

    public static TheoryData<string> Cases => ["plain.conf", "everything.conf", "ospf.conf"];

    private static string Render(string name) => name switch
    {
        "plain.conf" => BirdConfig.Render(Plain, new Dictionary<string, string>(), "/run/romana-aws/bird/bird.log", "node-1"),
        "ospf.conf" => BirdConfig.Render(Ospf, "/run/romana-aws/bird/bird.log", "node-4"),
        _ => BirdConfig.Render(Everything, new Dictionary<string, string> { ["/etc/romana-aws/bgp/tor-a"] = "s3cret pass" }, "/run/romana-aws/bird/bird.log", "node-1"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_MatchesTheGoldenFile(string name)
    {
        var actual = Render(name);
        var golden = GoldenPath(name);
        var expected = File.Exists(golden) ? File.ReadAllText(golden) : null;
        if (expected != actual)
        {
            File.WriteAllText(golden + ".actual", actual);
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GoldenFile_IsValidBirdConfiguration(string name)
    {
        if (!File.Exists("/usr/sbin/bird"))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI=true but BIRD is not installed (scripts/test.sh installs bird2)");
            return;
        }

        var (exitCode, output, error) = await Repo.RunAsync("/usr/sbin/bird", "-p", "-c", GoldenPath(name));
        Assert.True(exitCode == 0, $"bird -p {name}: {output}{error}");
    }

    [Fact]
    public void Render_ExportsExactlyTheAdvertisedPrefixesAndImportsNothingByDefault()
    {
        var text = Render("plain.conf");
        Assert.Contains("define ROMANA_PREFIXES = [ 100.96.0.0/20 ];", text, StringComparison.Ordinal);
        Assert.Contains("if proto = \"romana_groups\" && net ~ ROMANA_PREFIXES then accept;\n  reject;", text, StringComparison.Ordinal);
        Assert.Contains("import none;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol kernel", text, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol bfd", text, StringComparison.Ordinal);
        Assert.Contains("graceful restart off;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Ospf_RunsOnlyOnTheRacksSegmentInItsArea()
    {
        var text = Render("ospf.conf");
        Assert.Contains("  area 0.0.0.2 {\n    interface 10.2.0.0/24 { priority 0; hello 1; dead 4; bfd on; };\n  };", text, StringComparison.Ordinal);
        Assert.Contains("ipv4 { import none; export filter romana_export; };", text, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol bgp", text, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol kernel", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameAdvertisement_SameBytes()
    {
        Assert.Equal(Render("everything.conf"), Render("everything.conf"));
        Assert.Equal("router_10_1_0_1", BirdConfig.ProtocolName(Plain.Neighbors[0]));
    }
}
