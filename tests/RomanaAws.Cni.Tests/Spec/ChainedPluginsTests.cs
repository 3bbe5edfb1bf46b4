using System.Net;
using System.Text;
using System.Text.Json;
using RomanaAws.Cni.Spec;
using RomanaAws.CniProtocol;

namespace RomanaAws.Cni.Tests.Spec;

/// <summary>
/// Our ADD result as the plugins chained after us read it from prevResult (containernetworking/plugins v1.1.1, see
/// docs/cni-notes.md): portmap's parseConfig and bandwidth's getHostInterface, re-stated over the parsed JSON.
/// </summary>
public sealed class ChainedPluginsTests
{
    private const string ContainerId = "0f1e2d3c4b5a";
    private const string IfName = "eth0";
    private const string Netns = "/proc/4242/ns/net";

    private static readonly string HostVeth = HostVethName.For(ContainerId, IfName);

    private static byte[] AddResult(string version) => ResultWriter.Add(version, new PodInterfaces(
        HostVeth, "02:00:00:00:00:01", IfName, "02:00:00:00:00:02", Netns, IPAddress.Parse("100.96.0.5"), IPAddress.Parse("169.254.1.1"), 1500));

    /// <summary>portmap: the first IPv4 of ips whose interface index (if any) points at CNI_IFNAME with a non-empty sandbox.</summary>
    private static string? PortmapContainerIPv4(JsonElement result, string ifName)
    {
        var interfaces = result.GetProperty("interfaces").EnumerateArray().ToList();
        string? v4 = null;
        foreach (var ip in result.GetProperty("ips").EnumerateArray())
        {
            if (ip.TryGetProperty("interface", out var index))
            {
                var i = index.GetInt32();
                var sandbox = i >= 0 && i < interfaces.Count && interfaces[i].TryGetProperty("sandbox", out var s) ? s.GetString() : null;
                if (i >= 0 && i < interfaces.Count && (interfaces[i].GetProperty("name").GetString() != ifName || string.IsNullOrEmpty(sandbox)))
                {
                    continue;
                }
            }

            var address = ip.GetProperty("address").GetString()!;
            if (IPAddress.Parse(address.Split('/')[0]).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                v4 = address;
            }
        }

        return v4;
    }

    /// <summary>bandwidth: an interfaces entry with an empty sandbox named as the pod interface's veth peer.</summary>
    private static bool BandwidthFindsHostInterface(JsonElement result, string peerName) =>
        result.GetProperty("interfaces").EnumerateArray().Any(e =>
            (!e.TryGetProperty("sandbox", out var s) || string.IsNullOrEmpty(s.GetString())) && e.GetProperty("name").GetString() == peerName);

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void AddResult_AsPortmapReadsIt_ContainerIPv4IsThePodsAddress(string version)
    {
        using var document = JsonDocument.Parse(AddResult(version));
        Assert.Equal("100.96.0.5/32", PortmapContainerIPv4(document.RootElement, IfName));
        Assert.Null(PortmapContainerIPv4(document.RootElement, "net1"));
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void AddResult_AsBandwidthReadsIt_HostVethListedWithoutSandbox(string version)
    {
        using var document = JsonDocument.Parse(AddResult(version));
        Assert.True(BandwidthFindsHostInterface(document.RootElement, HostVethName.For(ContainerId, IfName)));
        Assert.False(BandwidthFindsHostInterface(document.RootElement, IfName));
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void AddResult_FedBackAsPrevResult_DelAndCheckFindVethAndAddress(string version)
    {
        var config = $$"""{"cniVersion":"{{version}}","name":"romana-aws","prevResult":{{Encoding.UTF8.GetString(AddResult(version))}}}""";
        var prev = ConfigReader.Read(Encoding.UTF8.GetBytes(config), CniCommand.Check).PrevResult!;
        Assert.Equal(HostVeth, prev.HostInterface);
        Assert.Equal("100.96.0.5/32", prev.AddressOf(IfName));
        Assert.Equal(Netns, prev.Interfaces[1].Sandbox);
    }
}
