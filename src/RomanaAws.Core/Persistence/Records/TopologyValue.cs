using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Persistence.Records;

/// <summary>The <c>topology</c> record: the schema version of the records and the topology they were carved for.</summary>
public sealed record TopologyValue(int SchemaVersion, TopologyConfig Topology);
