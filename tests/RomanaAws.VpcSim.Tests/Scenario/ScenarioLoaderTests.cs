using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.VpcSim.Tests.Scenario;

public sealed class ScenarioLoaderTests
{
    private const string Minimal = """
        vpc: { cidr: 10.1.0.0/16 }
        zones: [z-a]
        subnets: [{ name: s1, zone: z-a, cidr: 10.1.0.0/24 }]
        routeTables: [{ name: main, main: true }]
        instances: [{ name: n1, subnet: s1 }]
        """;

    [Fact]
    public void Parse_Minimal_Defaults()
    {
        var scenario = ScenarioLoader.Parse(Minimal, "s.yaml");
        Assert.Equal(("us-east-1", 50, true), (scenario.Region, scenario.RouteLimit, scenario.Throttling.Enabled));
        Assert.Equal("running", scenario.Instances[0].State);
    }

    [Fact]
    public void Parse_UnknownKey_NamesItWithLine()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Minimal + "\nroutelimit: 5\n", "s.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Contains("line 6", problem, StringComparison.Ordinal);
        Assert.Contains("routelimit", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadReferencesAndValues_AllReported()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("""
            vpc: { cidr: 10.1.0.1/16 }
            zones: [z-a]
            subnets: [{ name: s1, zone: z-b, cidr: 10.2.0.0/24 }]
            routeTables:
              - { name: main, main: true, subnets: [s9], routes: [{ destination: 0.0.0.0/0 }] }
              - { name: other, main: true }
            instances: [{ name: n1, subnet: nope, state: sleeping, id: i-123 }]
            """, "bad.yaml"));
        Assert.Contains(ex.Problems, p => p.StartsWith("vpc.cidr: '10.1.0.1/16'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("subnets[0].zone: 'z-b' is not one of zones (z-a)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("routeTables: exactly one table must have main: true (found 2)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("routeTables[0].subnets: 's9' is not a subnet name", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("routeTables[0].routes[0]: give exactly one target", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("instances[0].subnet: 'nope'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("instances[0].state: 'sleeping'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("instances[0].id: 'i-123'", StringComparison.Ordinal));
        Assert.StartsWith("bad.yaml: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShippedExample_IsValid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path);
        Assert.Equal(11, scenario.Instances.Count);
        Assert.Equal(3, scenario.Zones.Count);
    }
}
