using System.Net;
using System.Text;
using System.Text.Json;
using RomanaAws.Cni.Spec;

namespace RomanaAws.Cni.Tests.Spec;

public sealed class ResultWriterTests
{
    internal static readonly PodInterfaces Pod = new(
        "rmn0123456789ab", "02:00:00:00:00:01", "eth0", "02:00:00:00:00:02", "/var/run/netns/cni-1234", IPAddress.Parse("100.96.0.5"), IPAddress.Parse("169.254.1.1"), 9001);

    private static JsonElement Parse(byte[] bytes)
    {
        Assert.Equal((byte)'\n', bytes[^1]);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Add_EveryVersion_HostVethThenPodInterfaceIpOnThePodRouteViaGateway(string version)
    {
        var result = Parse(ResultWriter.Add(version, Pod));
        Assert.Equal(version, result.GetProperty("cniVersion").GetString());

        var interfaces = result.GetProperty("interfaces").EnumerateArray().ToList();
        Assert.Equal(2, interfaces.Count);
        Assert.Equal("rmn0123456789ab", interfaces[0].GetProperty("name").GetString());
        Assert.Equal("02:00:00:00:00:01", interfaces[0].GetProperty("mac").GetString());
        Assert.False(interfaces[0].TryGetProperty("sandbox", out _));
        Assert.Equal("eth0", interfaces[1].GetProperty("name").GetString());
        Assert.Equal("02:00:00:00:00:02", interfaces[1].GetProperty("mac").GetString());
        Assert.Equal("/var/run/netns/cni-1234", interfaces[1].GetProperty("sandbox").GetString());

        var ip = Assert.Single(result.GetProperty("ips").EnumerateArray());
        Assert.Equal("100.96.0.5/32", ip.GetProperty("address").GetString());
        Assert.Equal("169.254.1.1", ip.GetProperty("gateway").GetString());
        Assert.Equal(1, ip.GetProperty("interface").GetInt32());

        var route = Assert.Single(result.GetProperty("routes").EnumerateArray());
        Assert.Equal(["dst", "gw"], Keys(route));
        Assert.Equal(("0.0.0.0/0", "169.254.1.1"), (route.GetProperty("dst").GetString(), route.GetProperty("gw").GetString()));
        Assert.Equal(JsonValueKind.Object, result.GetProperty("dns").ValueKind);
        Assert.Equal(["cniVersion", "dns", "interfaces", "ips", "routes"], Keys(result));
    }

    [Theory]
    [InlineData("0.4.0", true)]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", false)]
    public void Add_IpVersionField_OnlyIn040(string version, bool present)
    {
        var ip = Parse(ResultWriter.Add(version, Pod)).GetProperty("ips")[0];
        Assert.Equal(present, ip.TryGetProperty("version", out var v));
        if (present)
        {
            Assert.Equal(JsonValueKind.String, v.ValueKind);
            Assert.Equal("4", v.GetString());
        }
    }

    [Theory]
    [InlineData("0.4.0", false)]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", true)]
    public void Add_InterfaceMtu_OnlyIn110(string version, bool present)
    {
        foreach (var entry in Parse(ResultWriter.Add(version, Pod)).GetProperty("interfaces").EnumerateArray())
        {
            Assert.Equal(present, entry.TryGetProperty("mtu", out var mtu));
            if (present)
            {
                Assert.Equal(9001, mtu.GetInt32());
            }
        }
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    [InlineData("0.3.1")]
    public void Version_EchoesInputAndListsSupported(string version)
    {
        var answer = Parse(ResultWriter.Version(version));
        Assert.Equal(version, answer.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.4.0", "1.0.0", "1.1.0"], answer.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["cniVersion", "supportedVersions"], Keys(answer));
    }

    [Fact]
    public void Error_WithDetails_AllFourFields()
    {
        var error = Parse(ResultWriter.Error("1.0.0", 7, "gateway '10.0.0.1' must be link-local", "see docs/agent.md"));
        Assert.Equal(["cniVersion", "code", "details", "msg"], Keys(error));
        Assert.Equal("1.0.0", error.GetProperty("cniVersion").GetString());
        Assert.Equal(7, error.GetProperty("code").GetInt32());
        Assert.Equal("gateway '10.0.0.1' must be link-local", error.GetProperty("msg").GetString());
        Assert.Equal("see docs/agent.md", error.GetProperty("details").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Error_NoDetails_NoDetailsField(string? details)
    {
        var error = Parse(ResultWriter.Error("0.4.0", 4, "CNI_NETNS is not set", details));
        Assert.Equal(["cniVersion", "code", "msg"], Keys(error));
        Assert.Equal(4, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public void Error_QuotesAndNonAscii_StayReadable()
    {
        var text = Encoding.UTF8.GetString(ResultWriter.Error("1.1.0", 4, "CNI_IFNAME 'a/b' is not a Linux interface name (1–15 characters) <&>", "\"quoted\" 'single'"));
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u2013", text, StringComparison.Ordinal);
        Assert.Contains("CNI_IFNAME 'a/b' is not a Linux interface name (1–15 characters) <&>", text, StringComparison.Ordinal);
        Assert.Contains("\\\"quoted\\\" 'single'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_ControlCharacters_StillValidJson()
    {
        var error = Parse(ResultWriter.Error("1.1.0", 7, "bad\nvalue\u0001", null));
        Assert.Equal("bad\nvalue\u0001", error.GetProperty("msg").GetString());
    }
}
