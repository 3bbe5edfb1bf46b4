using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// One block and how many of its addresses are in use: the agent's last report for a claimed block, the pod count
/// for a block whose pods the IPAM tracks itself (the offline <c>ipam allocate</c> path).
/// </summary>
public sealed record BlockUsage(string Network, Cidr Cidr, string InstanceId, string Owner, int Used, int Capacity, bool Claimed);
