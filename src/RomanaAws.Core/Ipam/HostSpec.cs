using System.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>A host (EC2 instance) as the IPAM needs it: identity and where it sits in the topology.</summary>
public sealed record HostSpec(string InstanceId, string Zone, string SubnetId, IPAddress PrimaryIp)
{
    public override string ToString() => $"{InstanceId} ({Zone}, {SubnetId}, {PrimaryIp})";
}
