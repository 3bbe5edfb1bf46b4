using System.Text.Json;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Core.Persistence;

/// <summary>
/// State document ↔ UTF-8 JSON. Every document written is sealed with a content digest, and every document read is
/// checked against it. Any malformed input is an <see cref="IpamStateException"/> naming the source.
/// </summary>
public static class IpamStateSerializer
{
    private const string Restore = "restore it from backup, or, if it was edited on purpose, check the edit and re-seal it with 'romana-aws ipam reseal --state FILE' (docs/operations.md)";

    /// <summary>The document at the current schema version, sealed: its digest covers every other byte written.</summary>
    public static byte[] Serialize(IpamStateDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var content = document with { SchemaVersion = IpamStateDocument.CurrentSchemaVersion, Digest = null };
        var digest = StateDigest.Of(JsonSerializer.SerializeToUtf8Bytes(content, IpamStateJsonContext.Default.IpamStateDocument));
        return JsonSerializer.SerializeToUtf8Bytes(content with { Digest = digest }, IpamStateJsonContext.Default.IpamStateDocument);
    }

    /// <param name="verifyIntegrity">False only to re-seal a file edited on purpose (<c>ipam reseal</c>); every other check still applies.</param>
    public static IpamStateDocument Deserialize(ReadOnlySpan<byte> utf8, string source, bool verifyIntegrity = true)
    {
        if (utf8.IsEmpty)
        {
            throw new IpamStateException($"{source}: the state file is empty (truncated?); restore it from backup or remove it deliberately to start afresh");
        }

        var header = PeekHeader(utf8, source);
        if (header.SchemaVersion > IpamStateDocument.CurrentSchemaVersion)
        {
            throw new IpamStateException($"{source}: written with state schema version {header.SchemaVersion}, but this romana-aws reads up to version {IpamStateDocument.CurrentSchemaVersion}; upgrade romana-aws");
        }

        IpamStateDocument document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, IpamStateJsonContext.Default.IpamStateDocument)
                ?? throw new IpamStateException($"{source}: the state file holds null");
        }
        catch (JsonException ex)
        {
            throw new IpamStateException($"{source}: the state file is corrupt or truncated (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}; {Restore}", ex);
        }

        if (verifyIntegrity)
        {
            Verify(utf8, header, source);
        }

        return document;
    }

    /// <summary>Whether the content matches its digest (a version 1 file, which has none, counts as intact).</summary>
    public static bool IsIntact(ReadOnlySpan<byte> utf8, string source)
    {
        var header = PeekHeader(utf8, source);
        return header.Digest is null
            ? header.SchemaVersion < 2
            : StateDigest.OfAllBut(utf8, header.DigestStart, header.DigestEnd) == header.Digest;
    }

    private static void Verify(ReadOnlySpan<byte> utf8, StateHeader header, string source)
    {
        if (header.Digest is null)
        {
            if (header.SchemaVersion >= 2)
            {
                throw new IpamStateException($"{source}: integrity check failed: the digest is missing (schema version {header.SchemaVersion} files carry one after the revision); the file was changed outside romana-aws or corrupted; {Restore}");
            }

            return;
        }

        var actual = StateDigest.OfAllBut(utf8, header.DigestStart, header.DigestEnd);
        if (actual != header.Digest)
        {
            throw new IpamStateException($"{source}: integrity check failed: content digest {actual} does not match the stored digest {Cap(header.Digest)}; the file was changed outside romana-aws or corrupted; {Restore}");
        }
    }

    /// <summary>Reads <c>schema</c>, <c>schemaVersion</c>, <c>revision</c> and <c>digest</c> from the head of the document without parsing the rest.</summary>
    internal static StateHeader PeekHeader(ReadOnlySpan<byte> utf8, string source)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: false, state: default);
        string? schema = null;
        int? version = null;
        long? revision = null;
        string? digest = null;
        int digestStart = 0, digestEnd = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new IpamStateException($"{source}: not a romana-aws state file (expected a JSON object)");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var start = (int)reader.TokenStartIndex;
                var name = reader.GetString();
                if (name is not ("schema" or "schemaVersion" or "revision" or "digest"))
                {
                    break;
                }

                reader.Read();
                switch (name)
                {
                    case "schema": schema = reader.GetString(); break;
                    case "schemaVersion": version = reader.GetInt32(); break;
                    case "revision": revision = reader.GetInt64(); break;
                    default: (digest, digestStart, digestEnd) = (reader.GetString(), start, (int)reader.BytesConsumed); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new IpamStateException($"{source}: the state file is corrupt or truncated at its start: {ex.Message}; {Restore}", ex);
        }

        if (schema != IpamStateDocument.SchemaName || version is null || revision is null)
        {
            throw new IpamStateException($"{source}: not a romana-aws state file (schema '{Cap(schema ?? "missing")}', expected '{IpamStateDocument.SchemaName}' with schemaVersion and revision first)");
        }

        if (version < IpamStateDocument.OldestSchemaVersion)
        {
            throw new IpamStateException($"{source}: schemaVersion {version} is not a version romana-aws ever wrote ({IpamStateDocument.OldestSchemaVersion} to {IpamStateDocument.CurrentSchemaVersion}); {Restore}");
        }

        if (revision < 0)
        {
            throw new IpamStateException($"{source}: revision {revision} is negative; revisions count saves from 0; {Restore}");
        }

        return new StateHeader(version.Value, revision.Value, digest, digestStart, digestEnd);
    }

    private static string Cap(string value) => Echo.Cap(value, 80);
}
