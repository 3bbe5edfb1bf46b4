using RomanaAws.Core.Ipam;

namespace RomanaAws.Core.Persistence;

/// <summary>A state file that cannot be used as it is (corrupt, truncated, inconsistent, or from a newer schema).</summary>
public sealed class IpamStateException : IpamException
{
    public IpamStateException()
    {
    }

    public IpamStateException(string message)
        : base(message)
    {
    }

    public IpamStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
