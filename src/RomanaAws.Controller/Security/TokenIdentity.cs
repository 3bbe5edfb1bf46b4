using RomanaAws.Controller.Configuration;

namespace RomanaAws.Controller.Security;

/// <summary>
/// Turns a TokenReview answer into a caller, or a refusal. Pure. The agent's token is its pod's projected
/// service-account token: the user is the agent service account, and the node comes from the token's binding
/// (<see cref="TokenReviewOutcome.NodeNameKey"/>), which the API server vouches for; the node's instance comes from its
/// Node's providerID (<paramref name="instanceOfNode"/>). An operator is a user or group listed in the api: section.
/// </summary>
public static class TokenIdentity
{
    public static (ApiCaller? Caller, ApiRefusal? Refusal) Resolve(TokenReviewOutcome review, ApiSettings settings, Func<string, string?> instanceOfNode)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(instanceOfNode);
        if (!review.Authenticated || review.User is not { } user)
        {
            var error = review.Error is { Length: > 0 } e ? e : "not authenticated";
            var hint = error.Contains("expired", StringComparison.OrdinalIgnoreCase)
                ? "; the kubelet refreshes a projected token before it expires, so an expired one means the caller did not re-read its token file"
                : string.Empty;
            return (null, new ApiRefusal(401, $"the Kubernetes API refused the token: {error}{hint}"));
        }

        if (string.Equals(user, settings.AgentServiceAccount, StringComparison.Ordinal))
        {
            if (review.ExtraValue(TokenReviewOutcome.NodeNameKey) is not { Length: > 0 } node)
            {
                return (null, new ApiRefusal(403, $"the token of {user} is bound to no node ({TokenReviewOutcome.NodeNameKey} missing): the agent must send its pod's projected service-account token (Kubernetes 1.30+ binds it to the pod's node), not a long-lived secret token"));
            }

            return instanceOfNode(node) is { } instance
                ? (new ApiCaller(CallerKind.Agent, user, node, instance), null)
                : (null, new ApiRefusal(403, $"node {node} of {user} is not a known AWS instance: no Node named {node} with an aws:// providerID has been seen"));
        }

        if (settings.OperatorUsers.Contains(user, StringComparer.Ordinal) || review.Groups.Any(g => settings.OperatorGroups.Contains(g, StringComparer.Ordinal)))
        {
            return (new ApiCaller(CallerKind.Operator, user), null);
        }

        return (null, new ApiRefusal(403, $"user {user} (groups {string.Join(", ", review.Groups)}) is neither the agent service account ({settings.AgentServiceAccount}) nor an operator (api.operatorGroups, api.operatorUsers)"));
    }
}
