using System.Net;

namespace RomanaAws.VpcSim.World;

/// <summary>A subnet. Like AWS, the first four addresses and the last one are reserved.</summary>
internal sealed class SimSubnet(string id, string vpcId, string zone, string zoneId, IPNetwork cidr)
{
    private readonly HashSet<IPAddress> _used = [];

    public string Id { get; } = id;

    public string VpcId { get; } = vpcId;

    public string Zone { get; } = zone;

    public string ZoneId { get; } = zoneId;

    public IPNetwork Cidr { get; } = cidr;

    public SimTags Tags { get; } = new();

    public int Size => 1 << (32 - Cidr.PrefixLength);

    public int AvailableIpAddressCount => Size - 5 - _used.Count;

    public bool IsUsable(IPAddress address)
    {
        if (!Cidr.Contains(address))
        {
            return false;
        }

        var offset = IpMath.ToUInt32(address) - IpMath.ToUInt32(Cidr.BaseAddress);
        return offset >= 4 && offset < Size - 1;
    }

    public bool IsFree(IPAddress address) => IsUsable(address) && !_used.Contains(address);

    public void Take(IPAddress address) => _used.Add(address);

    public void Free(IPAddress address) => _used.Remove(address);

    /// <summary>The lowest free usable address, or null when the subnet is full.</summary>
    public IPAddress? NextFree()
    {
        var network = IpMath.ToUInt32(Cidr.BaseAddress);
        for (var offset = 4u; offset < Size - 1; offset++)
        {
            var candidate = IpMath.FromUInt32(network + offset);
            if (!_used.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
