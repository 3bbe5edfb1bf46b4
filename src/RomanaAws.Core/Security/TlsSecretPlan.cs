using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RomanaAws.Core.Security;

/// <summary>What to do about the API's certificates in the cluster (operator-supplied ones are never touched).</summary>
public enum TlsSecretAction
{
    /// <summary>The serving certificate is good for longer than the renewal window: nothing to write.</summary>
    Keep,

    /// <summary>No Secret yet (a fresh install): a new CA and serving certificate.</summary>
    Create,

    /// <summary>The serving certificate ends within the window (or is unreadable, or not of the CA): a new one from the same CA.</summary>
    Renew,
}

/// <summary>The decision and why, for the log of the install Job.</summary>
public sealed record TlsSecretDecision(TlsSecretAction Action, string Reason);

/// <summary>
/// Whether the install (and the daily renewal) Job writes the API's certificates. Pure: from the serving certificate
/// the Secret holds now (null: no Secret), the CA it was made with (null: none kept), the time and the window. The CA is
/// kept: renewing only the serving certificate leaves every agent's trust (ca.crt) as it is, so nothing restarts.
/// </summary>
public static class TlsSecretPlan
{
    public static TlsSecretDecision Decide(string? servingPem, PemPair? authority, DateTimeOffset now, TimeSpan renewBefore)
    {
        if (servingPem is null)
        {
            return new TlsSecretDecision(TlsSecretAction.Create, "no certificate yet");
        }

        if (authority is null)
        {
            return new TlsSecretDecision(TlsSecretAction.Keep, "the certificates were supplied by the operator (no CA kept in the cluster): the operator renews them");
        }

        try
        {
            using var serving = X509Certificate2.CreateFromPem(servingPem);
            using var ca = X509Certificate2.CreateFromPem(authority.Certificate);
            if (!string.Equals(serving.Issuer, ca.Subject, StringComparison.Ordinal))
            {
                return new TlsSecretDecision(TlsSecretAction.Renew, $"the serving certificate is issued by {serving.Issuer}, not the kept CA {ca.Subject}");
            }

            var left = new DateTimeOffset(serving.NotAfter.ToUniversalTime()) - now;
            if (left <= renewBefore)
            {
                return new TlsSecretDecision(TlsSecretAction.Renew, left <= TimeSpan.Zero
                    ? $"the serving certificate expired at {serving.NotAfter.ToUniversalTime():u}"
                    : $"the serving certificate ends at {serving.NotAfter.ToUniversalTime():u}, within {renewBefore.TotalDays:0} days");
            }

            return new TlsSecretDecision(TlsSecretAction.Keep, $"the serving certificate is good until {serving.NotAfter.ToUniversalTime():u}");
        }
        catch (CryptographicException ex)
        {
            return new TlsSecretDecision(TlsSecretAction.Renew, $"the serving certificate cannot be read ({ex.Message})");
        }
    }
}
