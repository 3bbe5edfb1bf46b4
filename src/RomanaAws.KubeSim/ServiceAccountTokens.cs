using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RomanaAws.Core.Security;

namespace RomanaAws.KubeSim;

/// <summary>The pod (and its node) a projected service-account token is bound to, as the kubelet asks for it.</summary>
public sealed record BoundPod(string Name, string Uid, string NodeName, string NodeUid);

/// <summary>
/// The stand-in's token authority, as the API server's: service-account tokens are RS256 JWTs with the real claims
/// (iss, sub, aud, exp, iat, nbf, jti and the <c>kubernetes.io</c> binding of namespace, service account, pod and node),
/// issued by <see cref="Issue"/> (what TokenRequest does for the kubelet's projected volume), and checked by
/// <see cref="Review"/> (TokenReview): signature, expiry, audience, and that a bound pod still exists with its uid.
/// User tokens (<see cref="AddUser"/>) are the static token file's: a name and groups. Thread-safe.
/// </summary>
public sealed class ServiceAccountTokens(KubeStore store, TimeProvider time) : IDisposable
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private readonly RSA _key = RSA.Create(2048);
    private readonly Dictionary<string, (string User, string[] Groups)> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A token for <c>system:serviceaccount:NAMESPACE:NAME</c>, for <paramref name="audiences"/>, living <paramref name="lifetime"/>.</summary>
    public string Issue(string serviceAccountNamespace, string serviceAccount, IReadOnlyList<string> audiences, TimeSpan lifetime, BoundPod? pod = null, DateTimeOffset? issuedAt = null)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        var iat = (issuedAt ?? time.GetUtcNow()).ToUnixTimeSeconds();
        var binding = new JsonObject
        {
            ["namespace"] = serviceAccountNamespace,
            ["serviceaccount"] = new JsonObject { ["name"] = serviceAccount, ["uid"] = Uid($"{serviceAccountNamespace}/{serviceAccount}") },
        };
        if (pod is not null)
        {
            binding["pod"] = new JsonObject { ["name"] = pod.Name, ["uid"] = pod.Uid };
            binding["node"] = new JsonObject { ["name"] = pod.NodeName, ["uid"] = pod.NodeUid };
        }

        var claims = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = iat + (long)lifetime.TotalSeconds,
            ["iat"] = iat,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = binding,
            ["nbf"] = iat,
            ["sub"] = $"system:serviceaccount:{serviceAccountNamespace}:{serviceAccount}",
        };
        var header = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\",\"kid\":\"romana-kubesim\"}"));
        var payload = Base64Url.Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url.Encode(signature)}";
    }

    /// <summary>A static user token (the API server's --token-auth-file): <paramref name="token"/> is <paramref name="user"/> in <paramref name="groups"/>.</summary>
    public void AddUser(string token, string user, params string[] groups)
    {
        lock (_lock)
        {
            _users[token] = (user, groups);
        }
    }

    /// <summary>The TokenReview status for <paramref name="token"/> and the audiences the reviewer asks for (empty: the API server's own).</summary>
    public JsonObject Review(string token, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        lock (_lock)
        {
            if (_users.TryGetValue(token, out var user))
            {
                return Authenticated(user.User, Uid(user.User), [.. user.Groups, "system:authenticated"], new JsonObject(), audiences);
            }
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !Verifies(parts))
        {
            return Refused("[invalid bearer token, square/go-jose: error in cryptographic primitive]");
        }

        var claims = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"]!.GetValue<long>() <= now)
        {
            return Refused("[invalid bearer token, service account token has expired]");
        }

        var tokenAudiences = claims["aud"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var wanted = audiences.Count > 0 ? audiences : [Issuer];
        var matched = wanted.Where(tokenAudiences.Contains).ToList();
        if (matched.Count == 0)
        {
            return Refused($"[invalid bearer token, token audiences [{string.Join(" ", tokenAudiences.Select(a => $"\"{a}\""))}] is invalid for the target audiences [{string.Join(" ", wanted.Select(a => $"\"{a}\""))}]]");
        }

        var binding = claims["kubernetes.io"]!.AsObject();
        var ns = binding["namespace"]!.GetValue<string>();
        var extra = new JsonObject { ["authentication.kubernetes.io/credential-id"] = new JsonArray($"JTI={claims["jti"]}") };
        if (binding["pod"] is JsonObject pod)
        {
            var name = pod["name"]!.GetValue<string>();
            var uid = pod["uid"]!.GetValue<string>();
            var live = Find(KubeResource.Pods, ns, name);
            if (live is null || KubeObject.Text(live, "metadata", "uid") != uid)
            {
                return Refused(live is null
                    ? $"[invalid bearer token, pod \"{name}\" not found]"
                    : $"[invalid bearer token, pod {name} has been deleted and recreated (uid {uid} is gone)]");
            }

            extra["authentication.kubernetes.io/pod-name"] = new JsonArray(name);
            extra["authentication.kubernetes.io/pod-uid"] = new JsonArray(uid);
            if (binding["node"] is JsonObject node)
            {
                extra["authentication.kubernetes.io/node-name"] = new JsonArray(node["name"]!.GetValue<string>());
                extra["authentication.kubernetes.io/node-uid"] = new JsonArray(node["uid"]!.GetValue<string>());
            }
        }

        return Authenticated(claims["sub"]!.GetValue<string>(), binding["serviceaccount"]!["uid"]!.GetValue<string>(),
            ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"], extra, matched);
    }

    private bool Verifies(string[] parts)
    {
        try
        {
            return _key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static JsonObject Authenticated(string user, string uid, IEnumerable<string> groups, JsonObject extra, IReadOnlyList<string> audiences) => new()
    {
        ["authenticated"] = true,
        ["user"] = new JsonObject { ["username"] = user, ["uid"] = uid, ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]), ["extra"] = extra },
        ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
    };

    private static JsonObject Refused(string error) => new() { ["user"] = new JsonObject(), ["error"] = error };

    private JsonObject? Find(KubeResource resource, string ns, string name)
    {
        try
        {
            return store.Get(resource, ns, name);
        }
        catch (KubeApiException ex) when (ex.Code == 404)
        {
            return null;
        }
    }

    private static string Uid(string name) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)).ToString();

    public void Dispose() => _key.Dispose();
}
