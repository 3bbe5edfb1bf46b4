namespace RomanaAws.Core.Persistence;

/// <summary>A save based on a revision the store no longer holds: reload, re-apply, save again.</summary>
public sealed class StateConflictException : Exception
{
    public StateConflictException(string source, long expected, long actual)
        : base($"{source}: state changed underneath this writer (based on revision {expected}, the store holds revision {actual}); reload and retry")
    {
        Expected = expected;
        Actual = actual;
    }

    public StateConflictException()
    {
    }

    public StateConflictException(string message)
        : base(message)
    {
    }

    public StateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Expected { get; }

    public long Actual { get; }

    /// <summary>True when the writer lock was not free within the lock timeout (no revision was compared).</summary>
    public bool IsLockTimeout { get; init; }
}
