using RomanaAws.Agent.Bird;

namespace RomanaAws.Agent.Tests.Bird;

/// <summary>birdc's answers as BIRD 2.0.12 prints them (captured from the lab).</summary>
public sealed class BirdOutputTests
{
    private const string Protocols = """
        BIRD 2.0.12 ready.
        Name       Proto      Table      State  Since         Info
        device1    Device     ---        up     2026-12-03 15:41:39  
        romana_groups Static     master4    up     2026-12-03 15:41:39  
        router_10_1_0_1 BGP        ---        up     2026-12-03 15:41:43  Established   
        router_10_1_0_2 BGP        ---        start  2026-12-03 15:41:39  Active        Socket: Connection refused
        """;

    private const string Export = """
        BIRD 2.0.12 ready.
        Table master4:
        100.96.0.0/20        blackhole [romana_groups 15:41:39.201] * (200)
        100.96.64.0/26       blackhole [romana_groups 15:41:39.201] * (200)
        """;

    [Fact]
    public void Sessions_ReadsBgpRowsWithTheirNeighborsAndState()
    {
        var sessions = BirdOutput.Sessions(Protocols, new Dictionary<string, string> { ["router_10_1_0_1"] = "10.1.0.1", ["router_10_1_0_2"] = "10.1.0.2" });
        Assert.Equal(
            [new RouterSession("router_10_1_0_1", "10.1.0.1", "up", "Established"), new RouterSession("router_10_1_0_2", "10.1.0.2", "start", "Active Socket: Connection refused")],
            sessions);
        Assert.Equal([true, false], sessions.Select(s => s.Established));
    }

    [Fact]
    public void Prefixes_ReadsTheExportedRoutes()
    {
        Assert.Equal(["100.96.0.0/20", "100.96.64.0/26"], BirdOutput.Prefixes(Export));
        Assert.Empty(BirdOutput.Prefixes("BIRD 2.0.12 ready.\n"));
    }

    [Fact]
    public void OspfNeighbors_ReadsEachNeighborsAdjacency_FullOnlyCountsAsUp()
    {
        const string output = "BIRD 2.0.12 ready.\nromana_ospf:\nRouter ID   \tPri\t     State     \tDTime\tInterface  Router IP\n" +
            "10.1.0.1    \t  1\tFull/DR   \t2.871\teth0      10.1.0.1\n" +
            "10.1.0.12   \t  0\t2-Way/Other\t2.410\teth0      10.1.0.12\n";
        var neighbors = BirdOutput.OspfNeighbors(output);
        Assert.Equal(
            [new RouterSession("romana_ospf", "10.1.0.1", "up", "Full/DR"), new RouterSession("romana_ospf", "10.1.0.12", "up", "2-Way/Other")],
            neighbors);
        Assert.Equal([true, false], neighbors.Select(n => n.Established));
    }

    [Theory]
    [InlineData("BIRD 2.0.12 ready.\nReading configuration from /run/romana-aws/bird/bird.conf\nReconfigured\n", true)]
    [InlineData("BIRD 2.0.12 ready.\nReading configuration from /x\nReconfiguration in progress\n", true)]
    [InlineData("BIRD 2.0.12 ready.\nReading configuration from /x\n/x:3:1 syntax error\n", false)]
    public void Reconfigured_OnlyWhenBirdTookTheFile(string output, bool expected) => Assert.Equal(expected, BirdOutput.Reconfigured(output));
}
