using System.Net;

namespace RomanaAws.VpcSim.World;

internal sealed class SimVpc(string id, IPNetwork cidr)
{
    public string Id { get; } = id;

    public IPNetwork Cidr { get; } = cidr;

    public SimTags Tags { get; } = new();
}
