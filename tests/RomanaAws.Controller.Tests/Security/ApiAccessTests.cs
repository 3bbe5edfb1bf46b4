using RomanaAws.Controller.Security;

namespace RomanaAws.Controller.Tests.Security;

public sealed class ApiAccessTests
{
    private static readonly ApiCaller Agent = new(CallerKind.Agent, "system:serviceaccount:romana-aws:romana-aws-agent", "node-a1", "i-0a000000000000002");

    private static readonly ApiCaller Operator = new(CallerKind.Operator, "alice");

    [Theory]
    [InlineData("GET", "/v1/agents/i-0a000000000000002")]
    [InlineData("POST", "/v1/agents/i-0a000000000000002/blocks")]
    [InlineData("DELETE", "/v1/agents/i-0a000000000000002/blocks/100.96.0.16%2F28")]
    [InlineData("PUT", "/v1/agents/i-0a000000000000002/usage")]
    [InlineData("GET", "/healthz")]
    [InlineData("GET", "/readyz")]
    public void Agent_MayActForItsOwnInstance(string method, string path) => Assert.Null(ApiAccess.Decide(Agent, method, path));

    [Theory]
    [InlineData("GET", "/v1/agents/i-0a000000000000001", "may act only for its own instance, not i-0a000000000000001")]
    [InlineData("POST", "/v1/agents/i-0a000000000000001/blocks", "may act only for its own instance")]
    [InlineData("GET", "/v1/routes", "is for operators")]
    [InlineData("GET", "/v1/ipam", "is for operators")]
    [InlineData("GET", "/metrics", "is for operators")]
    [InlineData("POST", "/v1/reconcile", "is for operators")]
    public void Agent_MayNotActForAnotherOrReadTheTopology(string method, string path, string why)
    {
        var refusal = ApiAccess.Decide(Agent, method, path);
        Assert.NotNull(refusal);
        Assert.Equal(403, refusal.Status);
        Assert.Contains(why, refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("node-a1 (i-0a000000000000002)", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/routes")]
    [InlineData("GET", "/v1/ipam")]
    [InlineData("GET", "/metrics")]
    [InlineData("POST", "/v1/reconcile")]
    [InlineData("GET", "/v1/agents/i-0a000000000000001")]
    public void Operator_ReadsEverything_TriggersReconciles(string method, string path) => Assert.Null(ApiAccess.Decide(Operator, method, path));

    [Theory]
    [InlineData("POST", "/v1/agents/i-0a000000000000001/blocks")]
    [InlineData("PUT", "/v1/agents/i-0a000000000000001/usage")]
    [InlineData("DELETE", "/v1/agents/i-0a000000000000001/blocks/100.96.0.16%2F28")]
    public void Operator_MayNotActAsAnAgent(string method, string path) => Assert.Equal(403, ApiAccess.Decide(Operator, method, path)?.Status);

    [Fact]
    public void Anonymous_WhereAuthenticationIsOff_MayDoAnything() =>
        Assert.Null(ApiAccess.Decide(new ApiCaller(CallerKind.Anonymous, "127.0.0.1"), "POST", "/v1/agents/i-0a000000000000001/blocks"));

    [Fact]
    public void AnEscapedInstanceInThePath_IsComparedUnescaped() =>
        Assert.Null(ApiAccess.Decide(Agent, "GET", "/v1/agents/i-0a00000000000000%32"));
}
