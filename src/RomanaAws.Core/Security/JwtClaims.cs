using System.Text;
using System.Text.Json;

namespace RomanaAws.Core.Security;

/// <summary>
/// The timing claims of a JWT (a Kubernetes service-account token), read WITHOUT checking its signature: only to know
/// when a token expires (the agent refuses to send an expired one and says so; the controller caches a review no
/// longer than the token lives). Whether a token is valid is always the API server's TokenReview answer. Pure.
/// </summary>
public sealed record JwtClaims(DateTimeOffset? IssuedAt, DateTimeOffset? Expires, string? Subject)
{
    /// <summary>The claims of <paramref name="token"/>, or null when it is not a compact JWS with a JSON payload.</summary>
    public static JwtClaims? TryRead(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 16_384)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new JwtClaims(Time(payload.RootElement, "iat"), Time(payload.RootElement, "exp"),
                payload.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
