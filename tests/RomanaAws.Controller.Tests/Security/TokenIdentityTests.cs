using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Security;

namespace RomanaAws.Controller.Tests.Security;

public sealed class TokenIdentityTests
{
    private const string AgentAccount = "system:serviceaccount:romana-aws:romana-aws-agent";

    private static readonly ApiSettings Settings = new() { OperatorUsers = ["system:serviceaccount:monitoring:prometheus"] };

    private static string? Instances(string node) => node == "node-a1" ? "i-0a000000000000002" : null;

    private static TokenReviewOutcome Review(string user, string[]? groups = null, string? node = null) =>
        new(true, user, groups ?? ["system:serviceaccounts", "system:authenticated"],
            node is null ? new Dictionary<string, IReadOnlyList<string>>() : new Dictionary<string, IReadOnlyList<string>> { [TokenReviewOutcome.NodeNameKey] = [node] }, null);

    [Fact]
    public void AgentToken_BoundToAKnownNode_IsThatNodesAgent()
    {
        var (caller, refusal) = TokenIdentity.Resolve(Review(AgentAccount, node: "node-a1"), Settings, Instances);
        Assert.Null(refusal);
        Assert.Equal(new ApiCaller(CallerKind.Agent, AgentAccount, "node-a1", "i-0a000000000000002"), caller);
        Assert.Equal("agent:i-0a000000000000002", caller!.LimitKey);
    }

    [Fact]
    public void AgentToken_WithoutANodeBinding_OrOnAnUnknownNode_Is403()
    {
        var unbound = TokenIdentity.Resolve(Review(AgentAccount), Settings, Instances).Refusal;
        Assert.Equal(403, unbound?.Status);
        Assert.Contains("bound to no node", unbound!.Reason, StringComparison.Ordinal);
        var unknown = TokenIdentity.Resolve(Review(AgentAccount, node: "node-z9"), Settings, Instances).Refusal;
        Assert.Equal(403, unknown?.Status);
        Assert.Contains("node node-z9 of system:serviceaccount:romana-aws:romana-aws-agent is not a known AWS instance", unknown!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Operators_ByGroupOrByName_OthersRefused()
    {
        Assert.Equal(CallerKind.Operator, TokenIdentity.Resolve(Review("alice", ["system:masters", "system:authenticated"]), Settings, Instances).Caller?.Kind);
        Assert.Equal(CallerKind.Operator, TokenIdentity.Resolve(Review("system:serviceaccount:monitoring:prometheus"), Settings, Instances).Caller?.Kind);
        var other = TokenIdentity.Resolve(Review("system:serviceaccount:default:default"), Settings, Instances).Refusal;
        Assert.Equal(403, other?.Status);
        Assert.Contains("is neither the agent service account", other!.Reason, StringComparison.Ordinal);

        // A token of the agent account's name in another namespace is not the agent.
        Assert.Equal(403, TokenIdentity.Resolve(Review("system:serviceaccount:default:romana-aws-agent", node: "node-a1"), Settings, Instances).Refusal?.Status);
    }

    [Fact]
    public void Refused_Is401_WithTheServersError_AndAHintForAnExpiredToken()
    {
        var expired = TokenIdentity.Resolve(TokenReviewOutcome.Refused("[invalid bearer token, service account token has expired]"), Settings, Instances).Refusal;
        Assert.Equal(401, expired?.Status);
        Assert.Contains("service account token has expired]; the kubelet refreshes a projected token", expired!.Reason, StringComparison.Ordinal);
        var forged = TokenIdentity.Resolve(TokenReviewOutcome.Refused("[invalid bearer token]"), Settings, Instances).Refusal;
        Assert.Equal("the Kubernetes API refused the token: [invalid bearer token]", forged?.Reason);
    }
}
