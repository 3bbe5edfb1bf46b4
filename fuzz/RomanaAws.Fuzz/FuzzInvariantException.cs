namespace RomanaAws.Fuzz;

/// <summary>A property the harness checks beyond "no crash" failed (for example: an accepted state does not round-trip).</summary>
internal sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
