using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>One pool's usable blocks on this node: how many, their size, free addresses, live pods, and which are empty.</summary>
public sealed record PoolUsage(AddressPool Pool, int Blocks, int BlockSize, int Free, int Pods, IReadOnlyList<Cidr> Empty);
