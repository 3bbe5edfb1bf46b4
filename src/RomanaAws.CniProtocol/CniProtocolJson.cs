using System.Text.Json.Serialization;

namespace RomanaAws.CniProtocol;

/// <summary>Source-generated JSON for the socket API (camelCase), usable under Native AOT.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CniAddRequest))]
[JsonSerializable(typeof(CniKeyRequest))]
[JsonSerializable(typeof(CniAddress))]
[JsonSerializable(typeof(CniProblem))]
[JsonSerializable(typeof(CniReleased))]
[JsonSerializable(typeof(CniGcRequest))]
[JsonSerializable(typeof(CniGcResult))]
[JsonSerializable(typeof(CniStatus))]
public sealed partial class CniProtocolJson : JsonSerializerContext;
