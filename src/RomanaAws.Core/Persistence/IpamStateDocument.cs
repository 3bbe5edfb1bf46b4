using System.Text.Json.Serialization;
using RomanaAws.Core.Net;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Persistence;

/// <summary>
/// The persisted IPAM state, schema version 2. Self-describing (the topology travels with it) and checked in full
/// when loaded. Group CIDRs are stored for people reading the file; the loader verifies them against the topology.
/// Version 2 adds <see cref="Digest"/>; version 1 files (no digest) still load and are sealed on their next save.
/// </summary>
public sealed record IpamStateDocument
{
    public const string SchemaName = "romana-aws/ipam-state";
    public const int CurrentSchemaVersion = 2;

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

/// <summary>A block and its pods by offset (null = free; free offsets after the last used one are left out). Only non-empty blocks are stored.</summary>
public sealed record BlockDocument(string Network, Cidr Cidr, string Host, string Owner, IReadOnlyList<string?> Pods);
