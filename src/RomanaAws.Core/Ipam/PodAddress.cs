using System.Net;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>An address handed to a pod, and the block it came from.</summary>
public readonly record struct PodAddress(string PodKey, string InstanceId, string Owner, string Network, Cidr Block, IPAddress Address);
