namespace RomanaAws.Core.Leadership;

/// <summary>This replica is not (or no longer) the leader, so it must not write: no EC2 route, no state record.</summary>
public sealed class NotLeaderException : Exception
{
    public NotLeaderException()
    {
    }

    public NotLeaderException(string message)
        : base(message)
    {
    }

    public NotLeaderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
