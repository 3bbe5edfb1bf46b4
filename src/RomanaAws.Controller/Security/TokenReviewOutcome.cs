namespace RomanaAws.Controller.Security;

/// <summary>
/// What the API server's TokenReview said of a token (authentication.k8s.io/v1 TokenReview status): whether it is
/// authenticated, for whom (user name, groups, and the extra keys of a pod-bound token: pod and node name), and if
/// not, the server's error (an expired token, a wrong audience, a deleted pod).
/// </summary>
public sealed record TokenReviewOutcome(bool Authenticated, string? User, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra, string? Error)
{
    /// <summary>The key a pod-bound service-account token carries its node name under (Kubernetes 1.30+).</summary>
    public const string NodeNameKey = "authentication.kubernetes.io/node-name";

    public const string PodNameKey = "authentication.kubernetes.io/pod-name";

    public static TokenReviewOutcome Refused(string error) => new(false, null, [], new Dictionary<string, IReadOnlyList<string>>(), error);

    public string? ExtraValue(string key) => Extra.TryGetValue(key, out var values) && values.Count == 1 ? values[0] : null;
}
