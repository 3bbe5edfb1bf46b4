namespace RomanaAws.Core.Ipam;

/// <summary>A request the IPAM refuses (bad input or a state it cannot reach); the message says why and what to do.</summary>
public class IpamException : Exception
{
    public IpamException()
    {
    }

    public IpamException(string message)
        : base(message)
    {
    }

    public IpamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
