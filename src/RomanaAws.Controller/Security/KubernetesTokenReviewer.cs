using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RomanaAws.Controller.Security;

/// <summary>
/// TokenReview (authentication.k8s.io/v1) for the controller's audience: the API server checks the signature, expiry,
/// audience and, for a pod-bound token, that the pod still exists. Thin; the controller's service account needs
/// <c>create</c> on <c>tokenreviews</c> (the kops addon's ClusterRole).
/// </summary>
public sealed class KubernetesTokenReviewer(IKubernetes kubernetes, string audience) : ITokenReviewer
{
    public async Task<TokenReviewOutcome> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        var review = new V1TokenReview { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenReview", Spec = new V1TokenReviewSpec { Token = token, Audiences = [audience] } };
        V1TokenReview answer;
        try
        {
            answer = await kubernetes.AuthenticationV1.CreateTokenReviewAsync(review, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex)
        {
            throw new TokenReviewUnavailableException($"TokenReview was refused with {(int)ex.Response.StatusCode}: {Core.Configuration.Echo.Cap(ex.Response.Content, 200)} (the controller's service account needs create on tokenreviews)", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenReviewUnavailableException($"the Kubernetes API did not answer a TokenReview: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenReviewUnavailableException("the Kubernetes API did not answer a TokenReview in time", ex);
        }

        var status = answer.Status ?? new V1TokenReviewStatus();
        if (status.Authenticated != true)
        {
            return TokenReviewOutcome.Refused(status.Error ?? "not authenticated");
        }

        if (status.Audiences is { Count: > 0 } audiences && !audiences.Contains(audience, StringComparer.Ordinal))
        {
            return TokenReviewOutcome.Refused($"token is for audiences [{string.Join(", ", audiences)}], not {audience}");
        }

        var user = status.User ?? new V1UserInfo();
        var extra = (user.Extra ?? new Dictionary<string, IList<string>>()).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value ?? []], StringComparer.Ordinal);
        return new TokenReviewOutcome(true, user.Username, [.. user.Groups ?? []], extra, null);
    }
}
