using RomanaAws.Cni.Spec;

namespace RomanaAws.Cni.Tests.Spec;

public sealed class CniEnvironmentTests
{
    private static Dictionary<string, string> Pod(string command) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = "abc123-x_y.z",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_NETNS"] = "/var/run/netns/cni-1234",
    };

    /// <summary>The pod environment with <paramref name="key"/> set to <paramref name="value"/>, or unset when null.</summary>
    private static Dictionary<string, string> PodWith(string command, string key, string? value)
    {
        var variables = Pod(command);
        variables.Remove(key);
        if (value is not null)
        {
            variables[key] = value;
        }

        return variables;
    }

    private static CniEnvironment Parse(Dictionary<string, string> variables) => CniEnvironment.Parse(variables.GetValueOrDefault);

    private static CniFailure Fails(Dictionary<string, string> variables) => Assert.Throws<CniFailure>(() => Parse(variables));

    [Theory]
    [InlineData("ADD", "Add")]
    [InlineData("DEL", "Del")]
    [InlineData("CHECK", "Check")]
    [InlineData("VERSION", "Version")]
    [InlineData("STATUS", "Status")]
    [InlineData("GC", "Gc")]
    public void Parse_EveryCommand_IsRecognised(string name, string expected)
    {
        var env = Parse(Pod(name));
        Assert.Equal(expected, env.Command.ToString());
    }

    [Fact]
    public void Parse_Add_CarriesContainerIfnameAndNetns()
    {
        var env = Parse(Pod("ADD"));
        Assert.Equal(("abc123-x_y.z", "eth0", "/var/run/netns/cni-1234"), (env.ContainerId, env.IfName, env.Netns));
        Assert.Empty(env.Args.Values);
        Assert.Null(env.Args.PodNamespace);
    }

    [Theory]
    [InlineData(null, "CNI_COMMAND is not set")]
    [InlineData("", "CNI_COMMAND is not set")]
    [InlineData("add", "CNI_COMMAND 'add' is not a CNI command")]
    [InlineData("DELETE", "CNI_COMMAND 'DELETE' is not a CNI command")]
    public void Parse_MissingOrUnknownCommand_Code4NamingCniCommand(string? command, string expected)
    {
        var variables = PodWith("ADD", "CNI_COMMAND", command);

        var failure = Fails(variables);
        Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Contains("expected ADD, DEL, CHECK, VERSION, STATUS or GC", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-starts-with-dash")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("semi;colon")]
    public void Parse_BadContainerId_Code4NamingItAndTheValue(string? containerId)
    {
        var variables = PodWith("ADD", "CNI_CONTAINERID", containerId);

        var failure = Fails(variables);
        Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
        Assert.Contains($"CNI_CONTAINERID '{containerId}'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData("eth/0")]
    [InlineData("eth:0")]
    [InlineData("eth 0")]
    [InlineData("eth\t0")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("eth0-ééééééé")]
    public void Parse_BadIfName_Code4NamingItAndTheValue(string? ifName)
    {
        var variables = PodWith("ADD", "CNI_IFNAME", ifName);

        var failure = Fails(variables);
        Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
        Assert.Contains($"CNI_IFNAME '{ifName}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1–15 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fifteen-chars-x")]
    [InlineData("e")]
    [InlineData("net1.100")]
    [InlineData("...")]
    [InlineData("eth0-ééééss")]
    public void Parse_IfNameAtTheLimits_Accepted(string ifName)
    {
        var variables = Pod("ADD");
        variables["CNI_IFNAME"] = ifName;
        Assert.Equal(ifName, Parse(variables).IfName);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("CHECK")]
    public void Parse_NoNetnsOnAddOrCheck_Code4NamingCniNetns(string command)
    {
        foreach (var netns in new string?[] { null, "" })
        {
            var variables = PodWith(command, "CNI_NETNS", netns);

            var failure = Fails(variables);
            Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
            Assert.Contains($"CNI_NETNS is not set; {command} needs", failure.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_DelWithoutNetns_AcceptedAsNull(string? netns)
    {
        var variables = PodWith("DEL", "CNI_NETNS", netns);

        var env = Parse(variables);
        Assert.Equal((CniCommand.Del, "eth0"), (env.Command, env.IfName));
        Assert.Null(env.Netns);
    }

    [Theory]
    [InlineData("ADD", "var/run/netns/x")]
    [InlineData("DEL", "proc/42/ns/net")]
    [InlineData("CHECK", "./netns")]
    public void Parse_RelativeNetns_Code4NamingItAndTheValue(string command, string netns)
    {
        var variables = Pod(command);
        variables["CNI_NETNS"] = netns;
        var failure = Fails(variables);
        Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
        Assert.Contains($"CNI_NETNS '{netns}' is not an absolute path", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KubeletArgs_PodNamespaceAndTheRest()
    {
        var variables = Pod("ADD");
        variables["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=web;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=abc;EMPTY=";
        var args = Parse(variables).Args;
        Assert.Equal("web", args.PodNamespace);
        Assert.Equal("web-0", args.Values["K8S_POD_NAME"]);
        Assert.Equal("1", args.Values["IgnoreUnknown"]);
        Assert.Equal("", args.Values["EMPTY"]);
        Assert.Equal(5, args.Values.Count);
    }

    [Theory]
    [InlineData("K8S_POD_NAMESPACE=")]
    [InlineData("K8S_POD_NAME=x")]
    [InlineData(";;")]
    public void Parse_ArgsWithoutNamespace_PodNamespaceNull(string args)
    {
        var variables = Pod("ADD");
        variables["CNI_ARGS"] = args;
        Assert.Null(Parse(variables).Args.PodNamespace);
    }

    [Theory]
    [InlineData("K8S_POD_NAMESPACE=web;novalue", "novalue")]
    [InlineData("=web", "=web")]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAME", "K8S_POD_NAME")]
    public void Parse_MalformedArgsPair_Code4NamingCniArgsAndThePair(string args, string pair)
    {
        var variables = Pod("DEL");
        variables["CNI_ARGS"] = args;
        var failure = Fails(variables);
        Assert.Equal(CniErrorCode.InvalidEnvironment, failure.Code);
        Assert.Contains($"CNI_ARGS: '{pair}' is not KEY=VALUE", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VERSION", "Version")]
    [InlineData("STATUS", "Status")]
    [InlineData("GC", "Gc")]
    public void Parse_VersionStatusGc_NeedNothingElse(string command, string expected)
    {
        // Even invalid values are ignored: these commands concern no container.
        var variables = new Dictionary<string, string> { ["CNI_COMMAND"] = command, ["CNI_IFNAME"] = "a/b", ["CNI_NETNS"] = "relative", ["CNI_ARGS"] = "junk" };
        var env = Parse(variables);
        Assert.Equal(expected, env.Command.ToString());
        Assert.Equal(("", "", null), (env.ContainerId, env.IfName, env.Netns));
        Assert.Empty(env.Args.Values);
        Assert.Equal(expected, CniEnvironment.Parse(v => v == "CNI_COMMAND" ? command : null).Command.ToString());
    }

    [Fact]
    public void Parse_VeryLongBadValue_ClippedInTheMessage()
    {
        var variables = Pod("ADD");
        variables["CNI_CONTAINERID"] = "-" + new string('a', 500);
        var failure = Fails(variables);
        Assert.True(failure.Message.Length < 300, failure.Message);
        Assert.Contains("…", failure.Message, StringComparison.Ordinal);
    }
}
