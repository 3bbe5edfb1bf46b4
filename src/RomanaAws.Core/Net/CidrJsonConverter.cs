using System.Text.Json;
using System.Text.Json.Serialization;

namespace RomanaAws.Core.Net;

/// <summary>Writes a <see cref="Cidr"/> as its text form and reads it back strictly.</summary>
public sealed class CidrJsonConverter : JsonConverter<Cidr>
{
    /// <summary>Longest prefix text: a full IPv6 address with an embedded IPv4 tail, a slash and three digits.</summary>
    private const int MaxLength = 64;

    public override Cidr Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a CIDR string, found {reader.TokenType}");
        }

        Span<char> buffer = stackalloc char[MaxLength];
        var length = reader.HasValueSequence || reader.ValueSpan.Length > MaxLength ? -1 : reader.CopyString(buffer);
        if (length < 0)
        {
            throw new JsonException("CIDR text too long");
        }

        return Cidr.TryParse(buffer[..length], out var cidr, out var error) ? cidr : throw new JsonException($"invalid CIDR: {error}");
    }

    public override void Write(Utf8JsonWriter writer, Cidr value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
