using System.Text.Json.Serialization;

namespace RomanaAws.Core.Persistence.Records;

/// <summary>The JSON of the per-record layout: the same options and shapes as the state file's parts (strict on read).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TopologyValue))]
[JsonSerializable(typeof(ZoneValue))]
[JsonSerializable(typeof(SubnetValue))]
[JsonSerializable(typeof(HostValue))]
[JsonSerializable(typeof(BlockDocument))]
[JsonSerializable(typeof(InflightValue))]
internal sealed partial class StateRecordJson : JsonSerializerContext;
