using System.Text.Json;
using System.Text.Json.Serialization;

namespace RomanaAws.Core.Net;

/// <summary>Writes a <see cref="Cidr"/> as its text form and reads it back strictly.</summary>
public sealed class CidrJsonConverter : JsonConverter<Cidr>
{
    public override Cidr Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Cidr.TryParse(text, out var cidr, out var error) ? cidr : throw new JsonException($"invalid CIDR: {error}");
    }

    public override void Write(Utf8JsonWriter writer, Cidr value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
