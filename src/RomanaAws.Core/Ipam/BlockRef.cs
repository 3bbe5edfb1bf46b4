using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>An allocated block, by where it belongs.</summary>
public sealed record BlockRef(string Network, Cidr Cidr, string InstanceId, string Owner);
