using System.Text.Json;

namespace RomanaAws.Core.Persistence;

/// <summary>State document ↔ UTF-8 JSON. Any malformed input is an <see cref="IpamStateException"/> naming the source.</summary>
public static class IpamStateSerializer
{
    public static byte[] Serialize(IpamStateDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, IpamStateJsonContext.Default.IpamStateDocument);

    public static IpamStateDocument Deserialize(ReadOnlySpan<byte> utf8, string source)
    {
        if (utf8.IsEmpty)
        {
            throw new IpamStateException($"{source}: the state file is empty (truncated?); restore it from backup or remove it deliberately to start afresh");
        }

        var version = PeekSchema(utf8, source);
        if (version > IpamStateDocument.CurrentSchemaVersion)
        {
            throw new IpamStateException($"{source}: written with state schema version {version}, but this romana-aws reads up to version {IpamStateDocument.CurrentSchemaVersion}; upgrade romana-aws");
        }

        try
        {
            return JsonSerializer.Deserialize(utf8, IpamStateJsonContext.Default.IpamStateDocument)
                ?? throw new IpamStateException($"{source}: the state file holds null");
        }
        catch (JsonException ex)
        {
            throw new IpamStateException($"{source}: the state file is corrupt or truncated (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}", ex);
        }
    }

    /// <summary>Reads <c>schema</c>, <c>schemaVersion</c> and <c>revision</c> from the head of the document without parsing the rest.</summary>
    public static (int SchemaVersion, long Revision) PeekHeader(ReadOnlySpan<byte> utf8, string source)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: false, state: default);
        string? schema = null;
        int? version = null;
        long? revision = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new IpamStateException($"{source}: not a romana-aws state file (expected a JSON object)");
            }

            while ((schema is null || version is null || revision is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "schema": schema = reader.GetString(); break;
                    case "schemaVersion": version = reader.GetInt32(); break;
                    case "revision": revision = reader.GetInt64(); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new IpamStateException($"{source}: the state file is corrupt or truncated at its start: {ex.Message}", ex);
        }

        if (schema != IpamStateDocument.SchemaName || version is null || revision is null)
        {
            throw new IpamStateException($"{source}: not a romana-aws state file (schema '{schema ?? "missing"}', expected '{IpamStateDocument.SchemaName}' with schemaVersion and revision first)");
        }

        return (version.Value, revision.Value);
    }

    private static int PeekSchema(ReadOnlySpan<byte> utf8, string source) => PeekHeader(utf8, source).SchemaVersion;
}
