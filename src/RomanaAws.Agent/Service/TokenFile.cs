using System.Text;
using RomanaAws.Core.Security;

namespace RomanaAws.Agent.Service;

/// <summary>
/// The agent's credential for the controller: its pod's projected service-account token (audience
/// romana-aws-controller), a file the kubelet rewrites before the token expires (at 80 % of its life). Re-read when it
/// changes, checked at most once a second, so the agent always sends the newest token and never holds one past its life.
/// </summary>
public sealed class TokenFile(string path, TimeProvider time)
{
    private readonly ReloadingFiles<string> _file = new([path], c => Encoding.UTF8.GetString(c[0]).Trim(), time, TimeSpan.FromSeconds(1));

    public string Path => path;

    /// <summary>The current token; throws <see cref="CredentialException"/> when it is empty, unreadable or expired.</summary>
    public string Current()
    {
        string token;
        try
        {
            token = _file.Current;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"token file {path} cannot be read: {ex.Message}", ex);
        }

        if (token.Length == 0)
        {
            throw new CredentialException($"token file {path} is empty; mount the pod's projected service-account token there (kops addon: the projected volume controller-token)");
        }

        if (JwtClaims.TryRead(token)?.Expires is { } expires && expires <= time.GetUtcNow())
        {
            throw new CredentialException($"token in {path} expired at {expires:u} ({(time.GetUtcNow() - expires).TotalSeconds:F0} s ago) and the file was not refreshed: the kubelet rewrites a projected token before it expires, so check that {path} is a projected serviceAccountToken volume, not a copied secret");
        }

        return token;
    }
}
