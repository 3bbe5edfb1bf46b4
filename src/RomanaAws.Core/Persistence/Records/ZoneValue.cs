using RomanaAws.Core.Net;

namespace RomanaAws.Core.Persistence.Records;

/// <summary>A <c>zones/NETWORK/ZONE</c> record: the zone's aggregate and its place in the network's zone order.</summary>
public sealed record ZoneValue(int Index, Cidr Cidr);
