using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using RomanaAws.Core.Security;

namespace RomanaAws.Controller.Security;

/// <summary>
/// Reuses a review for <paramref name="ttl"/> (a refused token's for a tenth of it, at least a second), never past the
/// token's own expiry, so a busy agent costs the API server one TokenReview a minute and an expired token is refused
/// the second it expires. Keyed by the token's SHA-256 (tokens are not kept). At most <see cref="MaxEntries"/> entries:
/// a flood of made-up tokens empties the cache instead of growing it.
/// </summary>
public sealed class CachedTokenReviewer(ITokenReviewer inner, TimeProvider time, TimeSpan ttl) : ITokenReviewer
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (TokenReviewOutcome Outcome, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<TokenReviewOutcome> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow();
        var key = Key(token);

        // An entry never outlives its token (see below), so an expired token always misses and is asked about again.
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Outcome;
        }

        var outcome = await inner.ReviewAsync(token, cancellationToken);
        var life = outcome.Authenticated ? ttl : TimeSpan.FromTicks(Math.Max(ttl.Ticks / 10, TimeSpan.TicksPerSecond));
        var until = now + life;
        if (outcome.Authenticated && JwtClaims.TryRead(token)?.Expires is { } end && end < until)
        {
            until = end;
        }

        if (ttl > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxEntries)
            {
                _cache.Clear();
            }

            _cache[key] = (outcome, until);
        }

        return outcome;
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
