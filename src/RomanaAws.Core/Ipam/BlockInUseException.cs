namespace RomanaAws.Core.Ipam;

/// <summary>A block cannot be given back: its host's agent last reported addresses in use in it.</summary>
public sealed class BlockInUseException : IpamException
{
    public BlockInUseException()
    {
    }

    public BlockInUseException(string message)
        : base(message)
    {
    }

    public BlockInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
