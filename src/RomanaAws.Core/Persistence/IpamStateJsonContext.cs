using System.Text.Json.Serialization;

namespace RomanaAws.Core.Persistence;

/// <summary>Source-generated serialisation of the state document (fast load, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(IpamStateDocument))]
internal sealed partial class IpamStateJsonContext : JsonSerializerContext;
