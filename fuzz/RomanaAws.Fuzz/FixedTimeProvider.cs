namespace RomanaAws.Fuzz;

/// <summary>A clock that never moves, so the same input always takes the same path (afl-fuzz's stability).</summary>
internal sealed class FixedTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Instant = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Instant;
}
