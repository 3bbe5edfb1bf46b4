using RomanaAws.Lab.Scenarios;

namespace RomanaAws.Lab.Tests.Scenarios;

public sealed class PolicyScenarioTests
{
    private static readonly Dictionary<string, string> Owners = new(StringComparer.Ordinal)
    {
        ["d1"] = "default",
        ["d2"] = "default",
        ["w1"] = "web",
        ["w2"] = "web",
        ["b1"] = "db",
        ["b2"] = "db",
    };

    [Theory]
    [InlineData("d1", "d2", LabProtocol.Udp, true)] // no policy selects default
    [InlineData("d1", "w1", LabProtocol.Tcp, true)] // web has no ingress policy
    [InlineData("w1", "d1", LabProtocol.Tcp, false)] // web's egress reaches only web and db
    [InlineData("w1", "w2", LabProtocol.Udp, true)]
    [InlineData("w1", "b1", LabProtocol.Tcp, true)] // db admits TCP 8080 from web
    [InlineData("w1", "b1", LabProtocol.Udp, false)] // … but not UDP
    [InlineData("d1", "b1", LabProtocol.Tcp, false)] // … and nothing from default
    [InlineData("b1", "b2", LabProtocol.Tcp, false)] // … nor from db itself
    [InlineData("b1", "d1", LabProtocol.Udp, true)] // db's egress is not isolated
    public void Expected_FollowsTheNetworkPolicyRules(string from, string to, LabProtocol protocol, bool allowed) =>
        Assert.Equal(allowed, PolicyScenario.Expected(Owners).Contains(new Reach(from, to, protocol)));

    [Fact]
    public void Expected_CountsOnSixPods()
    {
        // 60 cells; denied: web→default 2×2×2 = 8, every other →db except web's TCP: (2 default + 2 db - 1 self) × 2 × 2 ... counted by hand:
        // to db from default: 2×2 pods × 2 protocols = 8; from db (other db pod): 2 × 2 = 4; from web: UDP only, 2×2 = 4. Total denied 8 + 8 + 4 + 4 = 24.
        Assert.Equal(60, ReachMatrix.All([.. Owners.Keys]).Count);
        Assert.Equal(60 - 24, PolicyScenario.Expected(Owners).Count);
    }

    [Fact]
    public void OwnerOf_RoundRobinOverTheThreeNamespaces() =>
        Assert.Equal(["default", "web", "db", "default"], Enumerable.Range(0, 4).Select(PolicyScenario.OwnerOf));

    [Fact]
    public void Compare_NamesMissingAndUnexpectedCells()
    {
        var expected = new HashSet<Reach> { new("a", "b", LabProtocol.Tcp), new("a", "b", LabProtocol.Udp) };
        var observed = new HashSet<Reach> { new("a", "b", LabProtocol.Tcp), new("b", "a", LabProtocol.Tcp) };
        var (missing, unexpected) = ReachMatrix.Compare(expected, observed);
        Assert.Equal([new Reach("a", "b", LabProtocol.Udp)], missing);
        Assert.Equal([new Reach("b", "a", LabProtocol.Tcp)], unexpected);
        Assert.Equal("a -> b UDP", missing[0].ToString());
    }
}
