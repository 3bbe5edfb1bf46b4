using System.Security.Cryptography;

namespace RomanaAws.Core.Persistence;

/// <summary>The content digest of a state document: SHA-256 over the bytes as written, without the digest field.</summary>
internal static class StateDigest
{
    public const string Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> content) => Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// The digest of <paramref name="utf8"/> with the bytes of the digest property (<paramref name="start"/> to
    /// <paramref name="end"/>, and the comma after it) left out: the bytes the writer hashed.
    /// </summary>
    public static string OfAllBut(ReadOnlySpan<byte> utf8, int start, int end)
    {
        if (end < utf8.Length && utf8[end] == (byte)',')
        {
            end++;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(utf8[..start]);
        hash.AppendData(utf8[end..]);
        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
