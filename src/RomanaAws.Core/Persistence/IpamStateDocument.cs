using System.Text.Json.Serialization;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Persistence;

/// <summary>
/// The persisted IPAM state, schema version 3. Self-describing (the topology travels with it) and checked in full
/// when loaded. Group CIDRs are stored for people reading the file; the loader verifies them against the topology.
/// Version 2 adds <see cref="Digest"/>; version 1 files (no digest) still load and are sealed on their next save.
/// Version 3 adds blocks claimed by agents (no pods listed, <see cref="BlockDocument.Used"/> reported); version 2 files load unchanged.
/// </summary>
public sealed record IpamStateDocument
{
    public const string SchemaName = "romana-aws/ipam-state";
    public const int CurrentSchemaVersion = 3;

    /// <summary>The oldest schema version this romana-aws reads (the first one, before the digest).</summary>
    public const int OldestSchemaVersion = 1;

    public string Schema { get; init; } = SchemaName;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Incremented by every successful save; a writer holding an older revision gets a conflict.</summary>
    public long Revision { get; init; }

    /// <summary>
    /// <c>sha256:</c> and the hex SHA-256 of the document as written without this field; set by
    /// <see cref="IpamStateSerializer.Serialize"/>, verified by <see cref="IpamStateSerializer.Deserialize"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; init; }

    public required TopologyConfig Topology { get; init; }

    public required IReadOnlyList<NetworkStateDocument> Networks { get; init; }

    /// <summary>Hosts in arrival order.</summary>
    public required IReadOnlyList<HostDocument> Hosts { get; init; }

    public required IReadOnlyList<BlockDocument> Blocks { get; init; }
}

public sealed record NetworkStateDocument(string Name, IReadOnlyList<ZoneStateDocument> Zones);

public sealed record ZoneStateDocument(string Name, Cidr Cidr, IReadOnlyList<SubnetStateDocument> Subnets);

public sealed record SubnetStateDocument(string Id, int Slot, IReadOnlyList<GroupStateDocument> Groups);

public sealed record GroupStateDocument(Cidr Cidr, IReadOnlyList<string> Hosts, IReadOnlyList<Cidr> Overflow);

public sealed record HostDocument(string InstanceId, string Zone, string Subnet, string Ip);

/// <summary>
/// A block and its pods by offset (null = free; free offsets after the last used one are left out). A block whose pods
/// the IPAM tracks is stored only while it holds one. A block claimed by its host's agent lists no pods and carries
/// <see cref="Used"/>, the agent's last usage report (schema version 3; absent = 0). For a block listing pods, used
/// is absent or equals its pod count.
/// </summary>
public sealed record BlockDocument(
    string Network,
    Cidr Cidr,
    string Host,
    string Owner,
    IReadOnlyList<string?> Pods,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Used = null);
