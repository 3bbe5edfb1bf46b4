namespace RomanaAws.Core.Ipam;

/// <summary>No block left where the host needs one; names the place and how full it is.</summary>
public sealed class IpamExhaustedException : IpamException
{
    public IpamExhaustedException(string network, string zone, string subnet, string group, double utilisation, string reason)
        : base($"address space exhausted: network '{network}', zone '{zone}', subnet '{subnet}', group {group} is {utilisation:P1} used; {reason}")
    {
        Network = network;
        Zone = zone;
        Subnet = subnet;
        Group = group;
        Utilisation = utilisation;
        Reason = reason;
    }

    public IpamExhaustedException()
        : this("?", "?", "?", "?", 1, "exhausted")
    {
    }

    public IpamExhaustedException(string message)
        : base(message)
    {
        Network = Zone = Subnet = Group = Reason = string.Empty;
    }

    public IpamExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Network = Zone = Subnet = Group = Reason = string.Empty;
    }

    public string Network { get; }

    public string Zone { get; }

    public string Subnet { get; }

    public string Group { get; }

    /// <summary>Fraction of the group's blocks in use (0–1).</summary>
    public double Utilisation { get; }

    public string Reason { get; }
}
