namespace RomanaAws.Core.Health;

/// <summary>What EC2 says about an instance, beside the probes.</summary>
public enum Ec2Signal
{
    /// <summary>Running, status checks fine, no event.</summary>
    Running,

    /// <summary>Stopping, a scheduled event, or the drain tag: questionable.</summary>
    Draining,

    /// <summary>Status checks impaired: failed at once.</summary>
    Impaired,

    /// <summary>Pending: not yet a target.</summary>
    Pending,

    /// <summary>Stopped, shutting down, terminated or gone: failed at once, without waiting for probes.</summary>
    Down,
}

/// <summary>One observation of a host: the EC2 signal and, when probes ran, whether the round passed.</summary>
public readonly record struct ProbeRound(DateTimeOffset At, Ec2Signal Ec2, bool? ProbesPassed, string? Detail = null);
