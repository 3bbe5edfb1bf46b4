using System.Net;
using System.Text;
using RomanaAws.Cni.Spec;

namespace RomanaAws.Cni.Tests.Spec;

public sealed class ConfigReaderTests
{
    private const string Minimal = """{"cniVersion":"1.0.0","name":"romana-aws","type":"romana-aws-cni"}""";

    private static PluginConfig Read(string json, string command = "ADD") => ConfigReader.Read(Encoding.UTF8.GetBytes(json), CommandOf(command));

    private static CniCommand CommandOf(string name) => Enum.Parse<CniCommand>(name, ignoreCase: true);

    /// <summary>The minimal config with one key set to a raw JSON value.</summary>
    private static string With(string key, string rawValue) => Minimal[..^1] + $",\"{key}\":{rawValue}}}";

    private static CniFailure Fails(string json, string command = "ADD") => Assert.Throws<CniFailure>(() => Read(json, command));

    [Fact]
    public void Read_Minimal_Defaults()
    {
        var config = Read(Minimal);
        Assert.Equal(("1.0.0", "romana-aws"), (config.CniVersion, config.Name));
        Assert.Equal("/run/romana-aws/cni.sock", config.AgentSocket);
        Assert.Null(config.Mtu);
        Assert.Equal(IPAddress.Parse("169.254.1.1"), config.Gateway);
        Assert.Equal("default", config.DefaultOwner);
        Assert.Null(config.PrevResult);
        Assert.Empty(config.ValidAttachments);
    }

    [Fact]
    public void Read_EveryKeySet_Taken()
    {
        var config = Read("""
            {"cniVersion":"1.1.0","name":"net","type":"romana-aws-cni","agentSocket":"/run/x/a.sock",
             "mtu":9001,"gateway":"169.254.7.9","defaultOwner":"kube-system","prevResult":null}
            """);
        Assert.Equal(("1.1.0", "net", "/run/x/a.sock", 9001, "169.254.7.9", "kube-system"), (config.CniVersion, config.Name, config.AgentSocket, config.Mtu, config.Gateway.ToString(), config.DefaultOwner));
        Assert.Null(config.PrevResult);
    }

    [Theory]
    [InlineData("68")]
    [InlineData("65535")]
    [InlineData("null")]
    public void Read_MtuInRangeOrNull_Accepted(string mtu)
    {
        Assert.Equal(mtu == "null" ? null : int.Parse(mtu), Read(With("mtu", mtu)).Mtu);
    }

    [Theory]
    [InlineData("\"1500\"", "mtu \"1500\" must be a whole number from 68 to 65535")]
    [InlineData("67", "mtu 67 must be a whole number from 68 to 65535")]
    [InlineData("65536", "mtu 65536 must be a whole number from 68 to 65535")]
    [InlineData("0", "mtu 0 must be a whole number from 68 to 65535")]
    [InlineData("-1", "mtu -1 must be a whole number from 68 to 65535")]
    [InlineData("1500.5", "mtu 1500.5 must be a whole number from 68 to 65535")]
    [InlineData("true", "mtu true must be a whole number from 68 to 65535")]
    [InlineData("{}", "mtu {} must be a whole number from 68 to 65535")]
    [InlineData("99999999999", "mtu 99999999999 must be a whole number from 68 to 65535")]
    public void Read_BadMtu_Code7NamingKeyAndValue(string mtu, string expected)
    {
        var failure = Fails(With("mtu", mtu));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.StartsWith(expected, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:169.254.1.1")]
    [InlineData("gateway")]
    [InlineData("169.254.1")]
    [InlineData("2851995905")]
    [InlineData("169.254.01.1")]
    [InlineData("")]
    public void Read_BadGateway_Code7NamingKeyAndValue(string gateway)
    {
        var failure = Fails(With("gateway", $"\"{gateway}\""));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains($"gateway '{gateway}' must be an IPv4 link-local address in 169.254.0.0/16", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GatewayNotAString_Code7NamingKeyAndValue()
    {
        var failure = Fails(With("gateway", "[169,254,1,1]"));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains("gateway must be a string, not array [169,254,1,1]", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run/romana-aws/cni.sock")]
    [InlineData("")]
    [InlineData("unix:///run/x.sock")]
    public void Read_RelativeAgentSocket_Code7NamingKeyAndValue(string socket)
    {
        var failure = Fails(With("agentSocket", $"\"{socket}\""));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains($"agentSocket '{socket}' must be an absolute path of at most 107 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AgentSocketLengthLimit_107BytesAcceptedAnd108Refused()
    {
        var ok = "/" + new string('s', 106);
        Assert.Equal(ok, Read(With("agentSocket", $"\"{ok}\"")).AgentSocket);
        var failure = Fails(With("agentSocket", $"\"{ok}x\""));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains("agentSocket '/sss", failure.Message, StringComparison.Ordinal);
        Assert.Contains("at most 107 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AgentSocketOver107Bytes_RefusedThoughFewerCharacters()
    {
        // sun_path holds 108 bytes with the NUL: 100 characters of which 10 take two bytes is 110 bytes.
        var socket = "/" + new string('é', 10) + new string('s', 89);
        var failure = Fails(With("agentSocket", $"\"{socket}\""));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains("at most 107 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyOrOverlongDefaultOwner_Code7NamingKey()
    {
        var empty = Fails(With("defaultOwner", "\"\""));
        Assert.Equal(CniErrorCode.InvalidConfig, empty.Code);
        Assert.Contains("defaultOwner '' must be 1–253 characters", empty.Message, StringComparison.Ordinal);
        var tooLong = Fails(With("defaultOwner", $"\"{new string('n', 254)}\""));
        Assert.Contains("defaultOwner 'nnnn", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(new string('n', 253), Read(With("defaultOwner", $"\"{new string('n', 253)}\"")).DefaultOwner);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","type":"romana-aws-cni"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"","type":"romana-aws-cni"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"  ","type":"romana-aws-cni"}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":null,"type":"romana-aws-cni"}""")]
    public void Read_NameMissingOrEmpty_Code7NamingName(string json)
    {
        var failure = Fails(json);
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.StartsWith("name is missing or empty", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NameNotAString_Code7NamingKeyAndValue()
    {
        var failure = Fails("""{"cniVersion":"1.0.0","name":42}""");
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Equal("name must be a string, not number 42", failure.Message);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("GC")]
    public void Read_CniVersionMissing_Code7NamingCniVersion(string command)
    {
        var failure = Fails("""{"name":"romana-aws"}""", command);
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains("cniVersion is missing (expected one of 0.4.0, 1.0.0, 1.1.0)", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("2.0.0")]
    [InlineData("1.0")]
    [InlineData("")]
    public void Read_UnsupportedCniVersion_Code1NamingTheVersion(string version)
    {
        var failure = Fails($$"""{"cniVersion":"{{version}}","name":"romana-aws"}""");
        Assert.Equal(CniErrorCode.IncompatibleVersion, failure.Code);
        Assert.Contains($"cniVersion '{version}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("supports 0.4.0, 1.0.0, 1.1.0", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("STATUS", "0.4.0")]
    [InlineData("STATUS", "1.0.0")]
    [InlineData("GC", "1.0.0")]
    [InlineData("GC", "0.4.0")]
    public void Read_StatusOrGcBefore110_Code1(string command, string version)
    {
        var failure = Fails($$"""{"cniVersion":"{{version}}","name":"romana-aws"}""", command);
        Assert.Equal(CniErrorCode.IncompatibleVersion, failure.Code);
        Assert.Equal($"{command} is a CNI 1.1.0 command; the config says cniVersion '{version}'", failure.Message);
    }

    [Theory]
    [InlineData("STATUS")]
    [InlineData("GC")]
    [InlineData("ADD")]
    [InlineData("CHECK")]
    public void Read_Version110_AcceptedForEveryCommand(string command)
    {
        Assert.Equal("1.1.0", Read("""{"cniVersion":"1.1.0","name":"romana-aws"}""", command).CniVersion);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("cniVersion: 1.0.0")]
    [InlineData("{\"cniVersion\":\"1.0.0\",}")]
    public void Read_NotJson_Code7(string text)
    {
        var failure = Fails(text);
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.StartsWith("the network configuration on stdin is not JSON", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"1.0.0\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void Read_NotAnObject_Code7NamingTheKind(string text, string kind)
    {
        var failure = Fails(text);
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Equal($"the network configuration must be a JSON object, not {kind}", failure.Message);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("STATUS")]
    public void Read_EmptyStdinOtherThanVersion_Code7(string command)
    {
        var failure = Fails(" \n", command);
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.StartsWith("no network configuration on stdin", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t")]
    public void Read_VersionWithEmptyStdin_LatestVersion(string stdin)
    {
        var config = Read(stdin, "VERSION");
        Assert.Equal(("1.1.0", ""), (config.CniVersion, config.Name));
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.3.1"}""", "0.3.1")]
    [InlineData("""{"name":"x"}""", "1.1.0")]
    [InlineData("""{"cniVersion":"0.4.0","name":"x","mtu":"bad"}""", "0.4.0")]
    public void Read_Version_EchoesTheVersionWithoutValidatingTheRest(string json, string expected)
    {
        Assert.Equal(expected, Read(json, "VERSION").CniVersion);
    }

    [Fact]
    public void Read_TooLarge_Code7SayingTheLimit()
    {
        var big = new byte[(1 << 20) + 1];
        var failure = Assert.Throws<CniFailure>(() => ConfigReader.Read(big, CniCommand.Add));
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Contains("at most 1048576 are accepted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PrevResult_InterfacesIpsHostInterfaceAndAddressOf()
    {
        var config = Read("""
            {"cniVersion":"1.0.0","name":"romana-aws","prevResult":{
              "cniVersion":"1.0.0",
              "interfaces":[
                {"name":"rmn0123456789ab","mac":"aa:bb:cc:dd:ee:01"},
                {"name":"eth0","mac":"aa:bb:cc:dd:ee:02","sandbox":"/var/run/netns/p1"},
                {"name":"eth0","mac":"aa:bb:cc:dd:ee:03","sandbox":""}],
              "ips":[
                {"address":"10.0.0.9/32","interface":2},
                {"address":"10.0.0.8/32","interface":0},
                {"address":"10.0.0.7/32","interface":9},
                {"address":"100.96.0.5/32","gateway":"169.254.1.1","interface":1}],
              "routes":[{"dst":"0.0.0.0/0","gw":"169.254.1.1"}]}}
            """, "DEL");
        var prev = config.PrevResult!;
        Assert.Equal(3, prev.Interfaces.Count);
        Assert.Equal(new ResultInterface("eth0", "aa:bb:cc:dd:ee:02", "/var/run/netns/p1"), prev.Interfaces[1]);
        Assert.Equal(new ResultInterface("rmn0123456789ab", "aa:bb:cc:dd:ee:01", null), prev.Interfaces[0]);
        Assert.Equal([new ResultIp("10.0.0.9/32", 2), new ResultIp("10.0.0.8/32", 0), new ResultIp("10.0.0.7/32", 9), new ResultIp("100.96.0.5/32", 1)], prev.Ips);
        Assert.Equal("rmn0123456789ab", prev.HostInterface);

        // Index 2 names eth0 but without a sandbox, 0 is the host veth, 9 is out of range: only index 1 counts.
        Assert.Equal("100.96.0.5/32", prev.AddressOf("eth0"));
        Assert.Null(prev.AddressOf("net1"));
        Assert.Null(prev.AddressOf("rmn0123456789ab"));
    }

    [Fact]
    public void Read_PrevResultIpWithoutInterfaceIndex_NotTakenAsThePods()
    {
        var prev = Read("""{"cniVersion":"1.0.0","name":"n","prevResult":{"interfaces":[{"name":"eth0","sandbox":"/x"}],"ips":[{"address":"10.0.0.1/32"},{"address":"10.0.0.2/32","interface":"0"}]}}""", "CHECK").PrevResult!;
        Assert.Equal([new ResultIp("10.0.0.1/32", null), new ResultIp("10.0.0.2/32", null)], prev.Ips);
        Assert.Null(prev.AddressOf("eth0"));
        Assert.Null(prev.HostInterface);
    }

    [Fact]
    public void Read_PrevResultEmptyObject_NoInterfacesNoIps()
    {
        var prev = Read(With("prevResult", "{}"), "DEL").PrevResult!;
        Assert.Empty(prev.Interfaces);
        Assert.Empty(prev.Ips);
        Assert.Null(prev.HostInterface);
    }

    [Theory]
    [InlineData("[]", "prevResult must be a JSON object, not array")]
    [InlineData("{\"interfaces\":{}}", "prevResult.interfaces must be an array, not object")]
    [InlineData("{\"interfaces\":[\"eth0\"]}", "prevResult.interfaces entries must be objects, not string")]
    [InlineData("{\"ips\":[{\"interface\":1}]}", "prevResult.ips[].address is missing")]
    [InlineData("{\"ips\":[{\"address\":10}]}", "address must be a string, not number 10")]
    [InlineData("{\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":true}]}", "sandbox must be a string, not true")]
    public void Read_BadPrevResult_Code7NamingTheKey(string prevResult, string expected)
    {
        var failure = Fails(With("prevResult", prevResult), "DEL");
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public void Read_GcValidAttachments_Parsed()
    {
        var config = Read("""
            {"cniVersion":"1.1.0","name":"romana-aws","cni.dev/valid-attachments":[
              {"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"net1"}]}
            """, "GC");
        Assert.Equal([("c1", "eth0"), ("c2", "net1")], config.ValidAttachments);
    }

    [Fact]
    public void Read_ValidAttachmentsOutsideGc_Ignored()
    {
        var config = Read("""{"cniVersion":"1.1.0","name":"romana-aws","cni.dev/valid-attachments":"junk"}""");
        Assert.Empty(config.ValidAttachments);
    }

    [Theory]
    [InlineData("[]", 0)]
    [InlineData("null", 0)]
    public void Read_GcEmptyOrNullValidAttachments_NothingIsValid(string raw, int count)
    {
        var config = Read($$"""{"cniVersion":"1.1.0","name":"romana-aws","cni.dev/valid-attachments":{{raw}}}""", "GC");
        Assert.Equal(count, config.ValidAttachments.Count);
    }

    [Theory]
    [InlineData("{}", "cni.dev/valid-attachments must be an array, not object")]
    [InlineData("[1]", "cni.dev/valid-attachments entries must be objects, not number")]
    [InlineData("[{\"containerID\":\"c1\"}]", "cni.dev/valid-attachments entries need containerID and ifname")]
    [InlineData("[{\"ifname\":\"eth0\",\"containerID\":\"\"}]", "cni.dev/valid-attachments entries need containerID and ifname")]
    [InlineData("[{\"containerID\":\"c1\",\"ifname\":7}]", "ifname must be a string, not number 7")]
    public void Read_GcBadValidAttachments_Code7NamingTheKey(string raw, string expected)
    {
        var failure = Fails($$"""{"cniVersion":"1.1.0","name":"romana-aws","cni.dev/valid-attachments":{{raw}}}""", "GC");
        Assert.Equal(CniErrorCode.InvalidConfig, failure.Code);
        Assert.Equal(expected, failure.Message);
    }

    [Theory]
    [InlineData("""{"cniVersion":"0.4.0","name":"x"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"1.0.0"}""", "1.0.0")]
    [InlineData("""{"cniVersion":"0.3.1"}""", "1.1.0")]
    [InlineData("""{"cniVersion":100}""", "1.1.0")]
    [InlineData("""["1.0.0"]""", "1.1.0")]
    [InlineData("{", "1.1.0")]
    [InlineData("", "1.1.0")]
    public void SniffVersion_ReadableSupportedVersion_ElseLatest(string stdin, string expected)
    {
        Assert.Equal(expected, ConfigReader.SniffVersion(Encoding.UTF8.GetBytes(stdin)));
    }

    [Fact]
    public void SniffVersion_TooDeep_Latest()
    {
        var deep = "{\"cniVersion\":\"1.0.0\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Equal("1.1.0", ConfigReader.SniffVersion(Encoding.UTF8.GetBytes(deep)));
    }
}
