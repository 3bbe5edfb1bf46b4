using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Health;

/// <summary>
/// The health state machine of one host (pure; time comes in with each observation). EC2 "down" or "impaired" fails
/// a host at once; "draining" makes it questionable; otherwise probes decide with hysteresis: FailAfter consecutive
/// failed rounds to fail it, RecoverAfter consecutive passed rounds to trust it again.
/// </summary>
public sealed record HostHealth
{
    public TargetHealth State { get; init; } = TargetHealth.Healthy;

    /// <summary>The state probes alone would give (the EC2 signal can override it).</summary>
    public TargetHealth ProbeState { get; init; } = TargetHealth.Healthy;

    public int ConsecutiveFailures { get; init; }

    public int ConsecutiveSuccesses { get; init; }

    public DateTimeOffset? LastHealthyAt { get; init; }

    /// <summary>When the host last changed state.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    public string Reason { get; init; } = "new";

    /// <summary>A host seen for the first time: trusted if EC2 says it runs, so targets can be chosen at once.</summary>
    public static HostHealth New(DateTimeOffset at) => new() { ChangedAt = at, LastHealthyAt = at };

    public HostHealth Observe(ProbeRound round, HealthSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var probe = this;
        if (round.ProbesPassed is { } passed)
        {
            probe = passed
                ? this with { ConsecutiveSuccesses = ConsecutiveSuccesses + 1, ConsecutiveFailures = 0 }
                : this with { ConsecutiveFailures = ConsecutiveFailures + 1, ConsecutiveSuccesses = 0 };
            var probeState = ProbeState switch
            {
                TargetHealth.Healthy when probe.ConsecutiveFailures >= settings.FailAfter => TargetHealth.Failed,
                TargetHealth.Failed when probe.ConsecutiveSuccesses >= settings.RecoverAfter => TargetHealth.Healthy,
                _ => ProbeState,
            };
            probe = probe with { ProbeState = probeState };
        }

        var (state, reason) = round.Ec2 switch
        {
            Ec2Signal.Down => (TargetHealth.Failed, "EC2: instance stopped or terminated"),
            Ec2Signal.Impaired => (TargetHealth.Failed, "EC2: status checks impaired"),
            Ec2Signal.Pending => (TargetHealth.Questionable, "EC2: pending"),
            Ec2Signal.Draining when probe.ProbeState == TargetHealth.Failed => (TargetHealth.Failed, $"probes failed {probe.ConsecutiveFailures}× ({round.Detail})"),
            Ec2Signal.Draining => (TargetHealth.Questionable, "EC2: draining (stopping, scheduled event or drain tag)"),
            _ when probe.ProbeState == TargetHealth.Failed && probe.ConsecutiveSuccesses > 0 => (TargetHealth.Failed, $"recovering ({probe.ConsecutiveSuccesses}/{settings.RecoverAfter} good rounds)"),
            _ when probe.ProbeState == TargetHealth.Failed => (TargetHealth.Failed, $"probes failed {Math.Max(probe.ConsecutiveFailures, settings.FailAfter)}× ({round.Detail})"),
            _ => (TargetHealth.Healthy, "healthy"),
        };

        // Leaving "failed" because EC2 recovered still needs the probes' trust (RecoverAfter good rounds), when probes run.
        if (State == TargetHealth.Failed && state == TargetHealth.Healthy && round.ProbesPassed is not null && probe.ConsecutiveSuccesses < settings.RecoverAfter)
        {
            (state, reason) = (TargetHealth.Failed, $"recovering ({probe.ConsecutiveSuccesses}/{settings.RecoverAfter} good rounds)");
        }

        return probe with
        {
            State = state,
            Reason = state == State && !reason.StartsWith("recovering", StringComparison.Ordinal) ? Reason : reason,
            ChangedAt = state == State ? ChangedAt : round.At,
            LastHealthyAt = state == TargetHealth.Healthy && round.ProbesPassed != false ? round.At : LastHealthyAt,
        };
    }
}
