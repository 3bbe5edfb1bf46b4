namespace RomanaAws.Core.Ipam;

/// <summary>A topology change that would orphan or renumber allocated state; lists everything it would break.</summary>
public sealed class TopologyChangeRefusedException : IpamException
{
    public TopologyChangeRefusedException(IReadOnlyList<string> breaks)
        : base($"topology change refused: it would break {breaks.Count} allocation(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", breaks))
    {
        Breaks = breaks;
    }

    public TopologyChangeRefusedException()
        : this([])
    {
    }

    public TopologyChangeRefusedException(string message)
        : base(message)
    {
        Breaks = [message];
    }

    public TopologyChangeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Breaks = [message];
    }

    public IReadOnlyList<string> Breaks { get; }
}
