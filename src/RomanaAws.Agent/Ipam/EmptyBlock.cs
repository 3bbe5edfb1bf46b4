using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>A block of this node holding no address, and since when it has been empty.</summary>
public sealed record EmptyBlock(Cidr Cidr, DateTimeOffset EmptySince);
