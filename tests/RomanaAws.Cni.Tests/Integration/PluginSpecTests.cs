using RomanaAws.Agent.Ipam;
using RomanaAws.CniProtocol;

namespace RomanaAws.Cni.Tests.Integration;

/// <summary>
/// The plugin binary invoked as a runtime invokes it (CNI_* environment, config on stdin) inside a host network
/// namespace the test creates, against the agent's real socket; pods are namespaces the test creates. The kernel state
/// is read back with iproute2, and traffic is real (ping between pods). Chaining is checked with Debian's reference
/// portmap and bandwidth fed our result as prevResult. Skips without root; under CI=true a missing prerequisite fails.
/// </summary>
[Collection(nameof(PluginSpecTests))]
public sealed class PluginSpecTests
{
    /// <summary>A host with the agent's socket up (or <paramref name="status"/> as its STATUS answer); null when this machine cannot run these tests.</summary>
    private static async Task<PluginHost?> HostAsync(bool agent = true, CniStatus? status = null)
    {
        if (PluginHost.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but the plugin spec tests cannot run: {missing}");
            return null;
        }

        var host = new PluginHost();
        try
        {
            if (agent)
            {
                await host.StartAgentAsync(status);
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Add_TwoPods_EachGetsSlash32GatewayRouteNeighbourAndTheyPingEachOther()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var (p1, p2) = (host.NewPod(), host.NewPod());
        var a = host.Run("ADD", "c1", p1, host.Config());
        var b = host.Run("ADD", "c2", p2, host.Config());
        Assert.True(a.ExitCode == 0, a.Output + a.Error);
        Assert.True(b.ExitCode == 0, b.Output + b.Error);
        Assert.Equal(("100.97.0.0", "100.97.0.1"), (a.Address, b.Address));

        Assert.Contains($"inet {a.Address}/32", PluginHost.Sh($"ip -n {p1} addr show eth0"), StringComparison.Ordinal);
        Assert.Contains("default via 169.254.1.1 dev eth0", PluginHost.Sh($"ip -n {p1} route"), StringComparison.Ordinal);
        var hostMac = a.Json.GetProperty("interfaces")[0].GetProperty("mac").GetString()!;
        Assert.Contains($"169.254.1.1 dev eth0 lladdr {hostMac} PERMANENT", PluginHost.Sh($"ip -n {p1} neigh"), StringComparison.Ordinal);
        Assert.Contains($"{a.Address} dev {a.HostVeth} proto 149 scope link", PluginHost.Sh($"ip -n {host.Netns} route"), StringComparison.Ordinal);
        Assert.Equal(HostVethName.For("c1", "eth0"), a.HostVeth);
        Assert.Equal("1", PluginHost.Sh($"nsenter --net=/run/netns/{host.Netns} cat /proc/sys/net/ipv4/ip_forward").Trim());
        Assert.True(PluginHost.Ok($"nsenter --net=/run/netns/{p1} ping -c 1 -W 2 {b.Address}"), "pod 1 cannot ping pod 2 through the host");

        // MTU: not configured, so the host's primary interface's (the uplink holding the default route: 9001).
        Assert.Contains("mtu 9001", PluginHost.Sh($"ip -n {p1} link show eth0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_Repeated_SameAddressAndStillWired()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var first = host.Run("ADD", "c1", pod, host.Config());
        var again = host.Run("ADD", "c1", pod, host.Config());
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(first.Address, again.Address);
        Assert.Equal(0, host.Run("CHECK", "c1", pod, host.Config(extra: $",\"prevResult\":{again.Output}")).ExitCode);
    }

    [Fact]
    public async Task Add_OwnerFromPodNamespace_AddressFromThatOwnersBlock_AndMtuFromConfig()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var run = host.Run("ADD", "c1", pod, host.Config(extra: ",\"mtu\":1400"), args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=team-a;K8S_POD_NAME=web-0");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("100.97.0.16", run.Address);
        Assert.Contains("mtu 1400", PluginHost.Sh($"ip -n {pod} link show eth0"), StringComparison.Ordinal);
        Assert.Contains("mtu 1400", PluginHost.Sh($"ip -n {host.Netns} link show {run.HostVeth}"), StringComparison.Ordinal);

        var none = host.Run("ADD", "c2", host.NewPod(), host.Config(), args: "K8S_POD_NAMESPACE=nobody");
        Assert.Equal((1, 11), (none.ExitCode, none.Code));
        Assert.Contains("'nobody'", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Add_PerVersion_ResultShapeOfThatVersion(string version)
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var run = host.Run("ADD", "c1", host.NewPod(), host.Config(version));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(version, run.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(version == "0.4.0", run.Json.GetProperty("ips")[0].TryGetProperty("version", out _));
        Assert.Equal(version == "1.1.0", run.Json.GetProperty("interfaces")[1].TryGetProperty("mtu", out _));
    }

    [Fact]
    public async Task Del_RepeatedAndWithoutNetns_SucceedsRemovesVethAndFreesAddress()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var add = host.Run("ADD", "c1", pod, host.Config());
        var prev = host.Config(extra: $",\"prevResult\":{add.Output}");

        // containerd's ctr passes an empty CNI_NETNS on DEL: the host veth is found by name.
        Assert.Equal(0, host.Run("DEL", "c1", null, prev).ExitCode);
        Assert.DoesNotContain(add.HostVeth, PluginHost.Sh($"ip -n {host.Netns} link"), StringComparison.Ordinal);
        Assert.Null(host.Addresses!.Find(new AttachmentKey("c1", "eth0")));
        Assert.Equal(0, host.Run("DEL", "c1", pod, prev).ExitCode);
        Assert.Equal(0, host.Run("DEL", "never-added", null, host.Config()).ExitCode);
        Assert.Equal(add.Address, host.Run("ADD", "c2", host.NewPod(), host.Config()).Address);
    }

    [Fact]
    public async Task AgentDown_AddIsCode11_DelStillTearsDown_StatusIs50()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var add = host.Run("ADD", "c1", pod, host.Config());
        await host.StopAgentAsync();

        var refused = host.Run("ADD", "c2", host.NewPod(), host.Config());
        Assert.Equal((1, 11), (refused.ExitCode, refused.Code));
        Assert.Contains(host.Socket, refused.Message, StringComparison.Ordinal);

        var del = host.Run("DEL", "c1", pod, host.Config(extra: $",\"prevResult\":{add.Output}"));
        Assert.True(del.ExitCode == 0, del.Output + del.Error);
        Assert.Contains("reclaims the address later", del.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(add.HostVeth, PluginHost.Sh($"ip -n {host.Netns} link"), StringComparison.Ordinal);

        var status = host.Run("STATUS", "", null, host.Config("1.1.0"));
        Assert.Equal((1, 50), (status.ExitCode, status.Code));
    }

    [Fact]
    public async Task Status_AgentSaysNoAddress_PassesItsCode()
    {
        await using var host = await HostAsync(status: new CniStatus(51, "IP forwarding is off on this node"));
        if (host is null)
        {
            return;
        }

        var status = host.Run("STATUS", "", null, host.Config("1.1.0"));
        Assert.Equal((1, 51, "IP forwarding is off on this node"), (status.ExitCode, status.Code, status.Message));
        await host.StopAgentAsync();
        await host.StartAgentAsync();
        Assert.Equal((0, ""), (host.Run("STATUS", "", null, host.Config("1.1.0")).ExitCode, host.Run("STATUS", "", null, host.Config("1.1.0")).Output));
    }

    [Fact]
    public async Task Check_TamperedPod_FailsNamingWhatDiffers()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var add = host.Run("ADD", "c1", pod, host.Config());
        var prev = host.Config(extra: $",\"prevResult\":{add.Output}");
        Assert.Equal(0, host.Run("CHECK", "c1", pod, prev).ExitCode);

        PluginHost.Sh($"ip -n {pod} route del default && ip -n {host.Netns} route del {add.Address}/32");
        var check = host.Run("CHECK", "c1", pod, prev);
        Assert.Equal((1, 100), (check.ExitCode, check.Code));
        Assert.Contains("no default route via 169.254.1.1", check.Message, StringComparison.Ordinal);
        Assert.Contains($"no route {add.Address}/32", check.Message, StringComparison.Ordinal);

        var wrongPrev = host.Config(extra: $",\"prevResult\":{add.Output.Replace(add.Address + "/32", "100.97.0.9/32", StringComparison.Ordinal)}");
        Assert.Contains("prevResult says 100.97.0.9/32", host.Run("CHECK", "c1", pod, wrongPrev).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_ReleasesEverythingNotValid_AddressesAndVeths()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var keep = host.Run("ADD", "keep", host.NewPod(), host.Config());
        var leak = host.Run("ADD", "leak", host.NewPod(), host.Config());
        var gc = host.Run("GC", "", null, host.Config("1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]"));
        Assert.True(gc.ExitCode == 0, gc.Output + gc.Error);
        Assert.NotNull(host.Addresses!.Find(new AttachmentKey("keep", "eth0")));
        Assert.Null(host.Addresses.Find(new AttachmentKey("leak", "eth0")));
        var links = PluginHost.Sh($"ip -n {host.Netns} link");
        Assert.Contains(keep.HostVeth, links, StringComparison.Ordinal);
        Assert.DoesNotContain(leak.HostVeth, links, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chained_PortmapAndBandwidth_AcceptOurResultAsPrevResult()
    {
        await using var host = await HostAsync();
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var add = host.Run("ADD", "c1", pod, host.Config());

        var portmap = """{"cniVersion":"1.0.0","name":"romana-aws","type":"portmap","snat":true,"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},"prevResult":""" + add.Output + "}";
        var mapped = host.RunReference("portmap", "ADD", "c1", pod, portmap);
        Assert.True(mapped.ExitCode == 0, mapped.Output + mapped.Error);
        Assert.Contains($"--to-destination {add.Address}:80", PluginHost.Sh($"nsenter --net=/run/netns/{host.Netns} iptables-save -t nat"), StringComparison.Ordinal);

        var bandwidth = """{"cniVersion":"1.0.0","name":"romana-aws","type":"bandwidth","runtimeConfig":{"bandwidth":{"ingressRate":1000000,"ingressBurst":100000,"egressRate":1000000,"egressBurst":100000}},"prevResult":""" + add.Output + "}";
        var shaped = host.RunReference("bandwidth", "ADD", "c1", pod, bandwidth);
        Assert.True(shaped.ExitCode == 0, shaped.Output + shaped.Error);
        Assert.Contains("tbf", PluginHost.Sh($"tc -n {host.Netns} qdisc show dev {add.HostVeth}"), StringComparison.Ordinal);

        Assert.Equal(0, host.RunReference("bandwidth", "DEL", "c1", pod, bandwidth).ExitCode);
        Assert.Equal(0, host.RunReference("portmap", "DEL", "c1", pod, portmap).ExitCode);
        Assert.DoesNotContain($"{add.Address}:80", PluginHost.Sh($"nsenter --net=/run/netns/{host.Netns} iptables-save -t nat"), StringComparison.Ordinal);
        Assert.Equal(0, host.Run("DEL", "c1", pod, host.Config(extra: $",\"prevResult\":{add.Output}")).ExitCode);
    }

    [Fact]
    public async Task BadInput_SpecErrorJsonNeverATrace()
    {
        await using var host = await HostAsync(agent: false);
        if (host is null)
        {
            return;
        }

        var pod = host.NewPod();
        var cases = new (string Command, string Config, int Code, string Names)[]
        {
            ("ADD", "{\"cniVersion\":\"0.2.0\",\"name\":\"x\"}", 1, "0.2.0"),
            ("ADD", host.Config(extra: ",\"mtu\":12"), 7, "mtu"),
            ("ADD", host.Config(extra: ",\"gateway\":\"10.0.0.1\""), 7, "gateway"),
            ("ADD", "not json", 7, "not JSON"),
            ("BOGUS", host.Config(), 4, "CNI_COMMAND"),
        };
        foreach (var (command, config, code, names) in cases)
        {
            var run = host.Run(command, "c1", pod, config);
            Assert.Equal((1, code), (run.ExitCode, run.Code));
            Assert.Contains(names, run.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        }

        var badIf = host.Run("ADD", "c1", pod, host.Config(), ifName: "way-too-long-ifname");
        Assert.Equal(4, badIf.Code);
        Assert.Contains("CNI_IFNAME", badIf.Message, StringComparison.Ordinal);
        var version = host.Run("VERSION", "", null, "{\"cniVersion\":\"1.0.0\"}");
        Assert.Equal("0.4.0,1.0.0,1.1.0", string.Join(',', version.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString())));
    }
}
