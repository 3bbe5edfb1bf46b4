using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RomanaAws.VpcSim.Auth;

/// <summary>
/// Server-side check of an AWS Signature Version 4 header (the simulator's side of the handshake: AWS does the
/// same with the caller's secret key). Canonical request, string to sign and signing-key derivation follow the
/// SigV4 specification; HMAC-SHA256 and SHA-256 come from the BCL. The clock-skew check is left out, because
/// tests drive the simulator's clock while clients sign with the real one.
/// </summary>
internal static class SigV4Verifier
{
    /// <summary>Null when the signature is valid; otherwise why not.</summary>
    public static string? Verify(HttpRequest request, byte[] body, string accessKeyId, string secretAccessKey)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "AWS4-HMAC-SHA256 ";
        if (!header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return "The request signature is missing or not AWS4-HMAC-SHA256.";
        }

        var parts = header[Scheme.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.";
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return $"Credential '{InputEcho.Of(credential)}' is not of the form AKID/date/region/service/aws4_request.";
        }

        if (scope[0] != accessKeyId)
        {
            return $"The security token included in the request is invalid (access key {InputEcho.Of(scope[0])}).";
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (amzDate.Length != 16 || !amzDate.StartsWith(scope[1], StringComparison.Ordinal))
        {
            return "X-Amz-Date is missing or does not match the credential scope date.";
        }

        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declared = request.Headers["x-amz-content-sha256"].ToString();
        if (declared.Length > 0 && declared != payloadHash)
        {
            return "The provided x-amz-content-sha256 header does not match what was computed.";
        }

        var canonical = string.Join('\n',
            request.Method,
            CanonicalPath(request.PathBase + request.Path),
            CanonicalQuery(request.QueryString.Value),
            string.Concat(signedHeaders.Split(';').Select(h => $"{h}:{HeaderValue(request, h)}\n")),
            signedHeaders,
            payloadHash);
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, string.Join('/', scope[1..]), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(scope[1]));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope[2]));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(scope[3]));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    }

    private static string HeaderValue(HttpRequest request, string name)
    {
        var value = name == "host" ? request.Host.Value ?? string.Empty : request.Headers[name].ToString();
        return string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return string.Empty;
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0].Replace('+', ' '))), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding: unreserved characters as they are, everything else %XX (uppercase).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
