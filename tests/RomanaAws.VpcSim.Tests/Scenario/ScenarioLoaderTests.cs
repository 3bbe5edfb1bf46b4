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
        HasProblems(
            ex,
            "vpc.cidr: '10.1.0.1/16'",
            "subnets[0].zone: 'z-b' is not one of zones (z-a)",
            "routeTables: exactly one table must have main: true (found 2)",
            "routeTables[0].subnets: 's9' is not a subnet name",
            "routeTables[0].routes[0]: give exactly one target",
            "instances[0].subnet: 'nope'",
            "instances[0].state: 'sleeping'",
            "instances[0].id: 'i-123'");
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

    [Fact]
    public void Parse_DuplicateIds_EveryKindReportedWithKeyAndValue()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("""
            vpc: { cidr: 10.1.0.0/16 }
            zones: [z-a, z-a]
            subnets:
              - { name: s1, id: subnet-00000001, zone: z-a, cidr: 10.1.0.0/24 }
              - { name: s2, id: subnet-00000001, zone: z-a, cidr: 10.1.1.0/24 }
            routeTables:
              - { name: main, id: rtb-00000001, main: true }
              - { name: other, id: rtb-00000001 }
            instances:
              - { name: n1, id: i-00000001, subnet: s1 }
              - { name: n2, id: i-00000001, subnet: s1 }
            """, "dup.yaml"));
        HasProblems(
            ex,
            "subnets[1].id: 'subnet-00000001' is already the id of subnets[0]; ids must be unique",
            "routeTables[1].id: 'rtb-00000001' is already the id of routeTables[0]",
            "instances[1].id: 'i-00000001' is already the id of instances[0]",
            "zones[1]: 'z-a' is listed twice");
    }

    [Fact]
    public void Parse_BadDurationsCidrAndLimits_AllReported()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("""
            transitionSeconds: -1
            instanceLimit: 0
            throttling: { mutating: { capacity: 0, refillPerSecond: 5 }, describe: { capacity: 100, refillPerSecond: -1 } }
            vpc: { cidr: 0.0.0.0/0 }
            zones: [z-a]
            subnets: [{ name: s1, zone: z-a, cidr: 10.1.0.0/24 }]
            routeTables: [{ name: main, main: true, routeLimit: 0 }]
            """, "bad.yaml"));
        HasProblems(
            ex,
            "transitionSeconds: -1 must be from 0 (instant) to 3600",
            "instanceLimit: 0 must be from 1 to",
            "throttling.mutating.capacity: 0 must be at least 1",
            "throttling.describe.refillPerSecond: -1 must be a number greater than 0",
            "vpc.cidr: '0.0.0.0/0' must be a /16 to /28 block",
            "routeTables[0].routeLimit: 0 must be from 1 to 1000");
    }

    [Theory]
    [InlineData("127.0.0.0/16")]
    [InlineData("169.254.0.0/16")]
    [InlineData("224.0.0.0/16")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.0/29")]
    public void Parse_VpcCidrEc2Rejects_Reported(string cidr)
    {
        var text = Minimal.Replace("10.1.0.0/16", cidr, StringComparison.Ordinal);
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "s.yaml"));
        Assert.Contains(ex.Problems, p => p.StartsWith($"vpc.cidr: '{cidr}' must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SubnetTooSmallForItsInstancesOrOverlapping_Reported()
    {
        var instances = string.Join("\n", Enumerable.Range(1, 12).Select(n => $"  - {{ name: n{n}, subnet: s1 }}"));
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse($$"""
            vpc: { cidr: 10.1.0.0/16 }
            zones: [z-a]
            subnets:
              - { name: s1, zone: z-a, cidr: 10.1.0.0/28 }
              - { name: s2, zone: z-a, cidr: 10.1.0.0/24 }
            routeTables: [{ name: main, main: true, routes: [{ destination: 10.1.0.0/16, gateway: igw-00000001 }] }]
            instances:
            {{instances}}
            """, "s.yaml"));
        HasProblems(
            ex,
            "subnets[0].cidr: 10.1.0.0/28 has 11 usable addresses but its instances need 12",
            "subnets[1].cidr: 10.1.0.0/24 overlaps subnets[0] (10.1.0.0/28)",
            "routeTables[0].routes[0].destination: 10.1.0.0/16 is the VPC's local route");
    }

    [Fact]
    public void Parse_LongValue_EchoedCapped()
    {
        var zone = new string('z', 5000);
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Minimal.Replace("zone: z-a", $"zone: {zone}", StringComparison.Ordinal), "s.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Contains("…(5000 characters)", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 400, problem);
    }

    [Fact]
    public async Task StartAsync_GivenIdEqualToAGeneratedOne_BothInstancesSeeded()
    {
        // Generated ids count up from 1 in seeding order: vpc 1, subnet 2, n1's instance 3. n2 asks for i-…3 by name.
        var scenario = ScenarioLoader.Parse("""
            vpc: { cidr: 10.1.0.0/16 }
            zones: [z-a]
            subnets: [{ name: s1, zone: z-a, cidr: 10.1.0.0/24 }]
            routeTables: [{ name: main, main: true }]
            instances:
              - { name: n1, subnet: s1 }
              - { name: n2, id: i-00000000000000003, subnet: s1, privateIp: 10.1.0.4 }
            """, "s.yaml");
        await using var sim = await VpcSimulator.StartAsync(scenario);
        var instances = sim.Control.Instances();
        Assert.Equal(2, instances.Select(i => i.Id).Distinct().Count());
        Assert.Equal(2, instances.Select(i => i.PrivateIp).Distinct().Count());
        Assert.Contains(instances, i => i.Id == "i-00000000000000003" && i.PrivateIp == "10.1.0.4");
    }

    /// <summary>Each of <paramref name="starts"/> begins one of the reported problems.</summary>
    private static void HasProblems(ScenarioException ex, params string[] starts)
    {
        foreach (var start in starts)
        {
            Assert.Contains(ex.Problems, p => p.StartsWith(start, StringComparison.Ordinal));
        }
    }
}
