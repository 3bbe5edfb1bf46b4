using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Tests.Topology;

public sealed class TopologyReaderTests
{
    private const string Valid = """
        cluster: demo.k8s.local
        networks:
          - name: pods
            cidr: 100.96.0.0/11
            exclude: [100.96.0.0/24]
        zones:
          - name: us-east-1a
          - name: us-east-1b
            weight: 2
          - us-east-1c
        groupsPerSubnet: 4
        """;

    private static ConfigException Invalid(string yaml) => Assert.Throws<ConfigException>(() => TopologyReader.Parse(yaml, "topology.yaml"));

    private static ConfigError Single(ConfigException ex, string path) => Assert.Single(ex.Errors, e => e.Path == path);

    [Fact]
    public void Parse_ValidYaml_AppliesDefaults()
    {
        var config = TopologyReader.Parse(Valid, "topology.yaml");
        Assert.Equal("demo.k8s.local", config.Cluster);
        var network = Assert.Single(config.Networks);
        Assert.Equal(28, network.BlockMask);
        Assert.Equal("100.96.0.0/24", Assert.Single(network.Exclude).ToString());
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], config.Zones!.Select(z => z.Name));
        Assert.Equal(2, config.Zones![1].Weight);
        Assert.Equal((50, 5, 2), (config.RouteLimit, config.RouteHeadroom, config.SubnetsPerZone));
    }

    [Fact]
    public void Parse_Json_IsAccepted()
    {
        var config = TopologyReader.Parse("""{"cluster":"c1","networks":[{"name":"pods","cidr":"10.32.0.0/12","blockMask":26}]}""", "t.json");
        Assert.Null(config.Zones);
        Assert.Equal(26, config.Networks[0].BlockMask);
    }

    [Fact]
    public void Parse_HostBitsSet_NamesPathLineAndSuggestion()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - name: pods\n    cidr: 10.0.0.1/16\n");
        var error = Single(ex, "networks[0].cidr");
        Assert.Equal(4, error.Line);
        Assert.Equal("10.0.0.1/16", error.Value);
        Assert.Contains("did you mean 10.0.0.0/16?", error.Message, StringComparison.Ordinal);
        Assert.Contains("networks[0].cidr (line 4): '10.0.0.1/16'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverlappingNetworks_Reported()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: a, cidr: 10.0.0.0/16}\n  - {name: b, cidr: 10.0.128.0/17}\n");
        Assert.Contains("overlaps networks[0] 'a' (10.0.0.0/16)", Single(ex, "networks[1].cidr").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExcludeOutsideNetwork_Reported()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - name: pods\n    cidr: 10.0.0.0/16\n    exclude:\n      - 10.1.0.0/24\n");
        var error = Single(ex, "networks[0].exclude[0]");
        Assert.Equal(6, error.Line);
        Assert.Contains("lies outside its network 10.0.0.0/16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(33)]
    public void Parse_BlockMaskOutOfRange_Reported(int mask)
    {
        var ex = Invalid($"cluster: c1\nnetworks:\n  - {{name: pods, cidr: 100.96.0.0/11, blockMask: {mask}}}\n");
        var error = Single(ex, "networks[0].blockMask");
        Assert.True(error.Message.Contains("between the network's mask /11 and /32", StringComparison.Ordinal)
            || error.Message.Contains("from 0 to 128", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Parse_NetworkTooSmallForZonesAndGroups_SaysWhatFits()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 10.0.0.0/24}\nzones: [a1, b1, c1]\n");
        var message = Single(ex, "networks[0].cidr").Message;
        Assert.Contains("cannot hold 3 zone(s) × 2 subnet slot(s) × 4 group(s) of at least one /28 block", message, StringComparison.Ordinal);
        Assert.Contains("groups would be /29", message, StringComparison.Ordinal);
        Assert.Contains("use a network of /23 or larger", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RouteBudgetExceeded_SaysHowManyAndWhatToChange()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11}\nzones: [a1, b1, c1]\nsubnetsPerZone: 4\ngroupsPerSubnet: 4\n");
        var message = Single(ex, "groupsPerSubnet").Message;
        Assert.Contains("needs up to 48 routes per table", message, StringComparison.Ordinal);
        Assert.Contains("budget is 45 (routeLimit 50 − routeHeadroom 5)", message, StringComparison.Ordinal);
        Assert.Contains("groupsPerSubnet: 2 (24 routes)", message, StringComparison.Ordinal);
        Assert.Contains("routeLimit: 53", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_SuggestsTheKnownOne()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11, blockMsk: 26}\ngroupPerSubnet: 2\n");
        Assert.Contains("did you mean 'blockMask'?", Single(ex, "networks[0].blockMsk").Message, StringComparison.Ordinal);
        var root = Single(ex, "groupPerSubnet");
        Assert.Equal(4, root.Line);
        Assert.Contains("did you mean 'groupsPerSubnet'?", root.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequired_Reported()
    {
        var ex = Invalid("zones: [a1]\n");
        Assert.Contains("is required", Single(ex, "cluster").Message, StringComparison.Ordinal);
        Assert.Contains("is required", Single(ex, "networks").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotPowerOfTwo_SuggestsNeighbours()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11}\ngroupsPerSubnet: 3\nsubnetsPerZone: 6\n");
        Assert.Contains("nearest: 2 or 4", Single(ex, "groupsPerSubnet").Message, StringComparison.Ordinal);
        Assert.Contains("nearest: 4 or 8", Single(ex, "subnetsPerZone").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicatesAndBadNumbers_AllReportedAtOnce()
    {
        var ex = Invalid("""
            cluster: "bad name!"
            networks:
              - {name: pods, cidr: 100.96.0.0/12}
              - {name: pods, cidr: 100.112.0.0/12}
            zones:
              - {name: us-east-1a, weight: 0}
              - {name: us-east-1a}
            routeLimit: 10
            routeHeadroom: 10
            """);
        Assert.Contains(ex.Errors, e => e.Path == "cluster");
        Assert.Contains(ex.Errors, e => e.Path == "networks[1].name" && e.Message.Contains("unique", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "zones[0].weight" && e.Message.Contains("from 1 to 1000", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "zones[1].name" && e.Message.Contains("listed twice", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "routeHeadroom" && e.Message.Contains("less than routeLimit 10", StringComparison.Ordinal));
        Assert.True(ex.Errors.Count >= 5);
    }

    [Fact]
    public void Parse_DuplicateKeyAndBadYaml_Reported()
    {
        var duplicate = Assert.Single(Invalid("cluster: a\ncluster: b\nnetworks: []\n").Errors);
        Assert.Equal(2, duplicate.Line);
        Assert.Equal("cluster", duplicate.Path);
        Assert.Contains("key appears twice", duplicate.Message, StringComparison.Ordinal);
        var syntax = Assert.Single(Invalid("cluster: [unclosed\n").Errors);
        Assert.Contains("not valid YAML", syntax.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongTypes_Reported()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11, blockMask: twenty}\nrouteLimit: [1]\n");
        Assert.Contains("expected a whole number", Single(ex, "networks[0].blockMask").Message, StringComparison.Ordinal);
        Assert.Contains("expected a whole number", Single(ex, "routeLimit").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DiscoveredZones_UseMaxZonesForTheBudget()
    {
        var config = Fixtures.MakeTopology(discoverZones: true, groupsPerSubnet: 8) with { MaxZones = 4 };
        var error = Assert.Single(TopologyValidator.Validate(config));
        Assert.Contains("needs up to 64 routes", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxZones 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadNetworkAndBadSettings_BothReportedInOnePass()
    {
        var ex = Invalid("cluster: c1\nnetworks:\n  - {name: pods, cidr: 10.0.0.1/16}\nzones: [Bad Zone]\ngroupsPerSubnet: 3\nrouteHeadroom: 60\n");
        Assert.Contains(ex.Errors, e => e.Path == "networks[0].cidr");
        Assert.Contains(ex.Errors, e => e.Path == "zones[0].name" && e.Message.Contains("Availability Zone name", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "groupsPerSubnet" && e.Message.Contains("power of two", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "routeHeadroom");
    }

    [Theory]
    [InlineData("networks:\n  - {name: Pods, cidr: 10.0.0.0/16}", "networks[0].name", "lowercase letters")]
    [InlineData("networks:\n  - {name: pods, cidr: 10.0.0.0/8, blockMask: 12}", "networks[0].blockMask", "more than 65536 addresses")]
    [InlineData("networks:\n  - {name: pods, cidr: 10.0.0.0/8, blockMask: 32}\nsubnetsPerZone: 1\ngroupsPerSubnet: 1", "networks[0].blockMask", "more than 2^22 blocks")]
    [InlineData("networks:\n  - {name: pods, cidr: 10.0.0.0/16}\nrouteLimit: 1001", "routeLimit", "from 1 to 1000")]
    [InlineData("networks:\n  - {name: pods, cidr: 10.0.0.0/16}\nmaxZones: 0", "maxZones", "from 1 to 1024")]
    [InlineData("networks:\n  - {name: pods, cidr: 10.0.0.0/16}\nzones: []", "zones", "empty list")]
    [InlineData("networks: []", "networks", "at least one pod network")]
    public void Parse_EachRule_NamesKeyAndReason(string body, string path, string expected)
    {
        var ex = Invalid("cluster: c1\n" + body + "\n");
        Assert.Contains(expected, Single(ex, path).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonDuplicateKey_Reported()
    {
        var ex = Invalid("""{"cluster":"a","cluster":"b","networks":[{"name":"pods","cidr":"10.0.0.0/16"}]}""");
        Assert.Contains("key appears twice", Single(ex, "cluster").Message, StringComparison.Ordinal);
    }
}
