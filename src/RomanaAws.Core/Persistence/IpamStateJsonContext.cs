using System.Text.Json.Serialization;

namespace RomanaAws.Core.Persistence;

/// <summary>Source-generated serialisation of the state: the document (the file) and its per-record pieces (etcd), with one set of options.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(IpamStateDocument))]
[JsonSerializable(typeof(Records.TopologyValue))]
[JsonSerializable(typeof(Records.ZoneValue))]
[JsonSerializable(typeof(Records.SubnetValue))]
[JsonSerializable(typeof(Records.HostValue))]
[JsonSerializable(typeof(BlockDocument))]
[JsonSerializable(typeof(Records.InflightValue))]
internal sealed partial class IpamStateJsonContext : JsonSerializerContext;
