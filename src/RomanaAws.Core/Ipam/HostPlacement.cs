using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>Where a host sits: its group in each network.</summary>
public sealed record HostPlacement(HostSpec Host, IReadOnlyList<GroupRef> Groups);

/// <summary>A group, named by where it sits in the topology.</summary>
public sealed record GroupRef(string Network, string Zone, string SubnetId, int Index, Cidr Cidr);
