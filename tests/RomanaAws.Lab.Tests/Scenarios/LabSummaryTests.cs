using RomanaAws.Lab.Scenarios;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Tests.Scenarios;

public sealed class LabSummaryTests
{
    [Fact]
    public void Lines_ZonesNodesAndEachTablesPodRoutesWithTheirTargets()
    {
        var dataplane = new VpcDataplane("172.20.0.0/16",
            [new DataplaneSubnet("subnet-a", "us-east-1a", "172.20.32.0/19", "rtb-a"), new DataplaneSubnet("subnet-b", "us-east-1b", "172.20.64.0/19", "rtb-b")],
            [new DataplaneTable("rtb-a", false, []), new DataplaneTable("rtb-b", false, [])],
            []);
        DataplaneInstance[] nodes =
        [
            new("i-a2", "nodes-a", "subnet-a", "172.20.32.12", "running", true),
            new("i-a1", "nodes-a", "subnet-a", "172.20.32.11", "running", true),
        ];
        const string kernel = """
            100.96.0.0/15 via 172.20.32.11 dev s1 table 100
            100.104.0.0/15 via 172.20.64.11 dev s2 table 100
            172.20.32.0/19 dev s1 table 100 scope link
            blackhole 100.112.0.0/15 table 101
            100.96.0.0/15 via 172.20.32.12 dev s1 table 101
            """;
        var lines = LabSummary.Lines(dataplane, nodes, new Dictionary<string, int> { ["i-a1"] = 3 }, [("rtb-a", 100), ("rtb-b", 101)], kernel);
        Assert.Equal(
        [
            "zones:",
            "  us-east-1a subnet-a 172.20.32.0/19: i-a1 nodes-a 172.20.32.11 (3 pod(s)), i-a2 nodes-a 172.20.32.12",
            "  us-east-1b subnet-b 172.20.64.0/19: no nodes",
            "routes (pod networks, as the VPC router's kernel holds them):",
            "  rtb-a (table 100): 100.104.0.0/15 via 172.20.64.11, 100.96.0.0/15 → i-a1 (172.20.32.11, us-east-1a)",
            "  rtb-b (table 101): 100.96.0.0/15 → i-a2 (172.20.32.12, us-east-1a)",
        ], lines);
    }
}
