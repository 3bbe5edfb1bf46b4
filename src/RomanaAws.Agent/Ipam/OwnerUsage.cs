using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>One owner's usable blocks on this node: how many, their size, free addresses, live pods, and which are empty.</summary>
public sealed record OwnerUsage(string Owner, int Blocks, int BlockSize, int Free, int Pods, IReadOnlyList<Cidr> Empty);
