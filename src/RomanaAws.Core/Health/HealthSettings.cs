namespace RomanaAws.Core.Health;

/// <summary>Probe cadence and hysteresis. Defaults: probe every second, fail after 3 bad rounds, trust again after 5 good ones.</summary>
public sealed record HealthSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Per attempt; a round may retry a failed attempt (see <see cref="AttemptsPerRound"/>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Attempts per probe round: a round fails only when every attempt fails, so a dropped packet is not a failure.</summary>
    public int AttemptsPerRound { get; init; } = 3;

    public int FailAfter { get; init; } = 3;

    public int RecoverAfter { get; init; } = 5;

    /// <summary>A tag that marks an instance for drain (questionable): avoid as a new target, move routes away.</summary>
    public string DrainTag { get; init; } = "romana.io/drain";
}
