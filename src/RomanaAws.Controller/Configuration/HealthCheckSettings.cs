using RomanaAws.Core.Health;

namespace RomanaAws.Controller.Configuration;

#pragma warning disable CA1002, CA2227 // Options bound by Microsoft.Extensions.Configuration.

/// <summary>The <c>health:</c> section: which probes, how often, hysteresis and flap damping.</summary>
public sealed class HealthCheckSettings
{
    public const string Section = "health";

    /// <summary>Any of "ec2" (state, status checks, events), "http" (the node agent's /healthz), "tcp" (connect to the agent port).</summary>
    public List<string> Probes { get; set; } = ["ec2", "http"];

    public int IntervalMs { get; set; } = 1000;

    public int TimeoutMs { get; set; } = 250;

    public int AttemptsPerRound { get; set; } = 3;

    public int FailAfter { get; set; } = 3;

    public int RecoverAfter { get; set; } = 5;

    /// <summary>The node agent's health port on each node (probes go to the instance's private IP).</summary>
    public int AgentPort { get; set; } = 9612;

    public string DrainTag { get; set; } = "romana.io/drain";

    /// <summary>Minimum time between two moves of a group's route away from a questionable (not failed) target.</summary>
    public int HoldSeconds { get; set; } = 10;

    public int MaxFailovers { get; set; } = 5;

    public int WindowSeconds { get; set; } = 600;

    public HealthSettings ToSettings() => new()
    {
        Interval = TimeSpan.FromMilliseconds(IntervalMs),
        Timeout = TimeSpan.FromMilliseconds(TimeoutMs),
        AttemptsPerRound = AttemptsPerRound,
        FailAfter = FailAfter,
        RecoverAfter = RecoverAfter,
        DrainTag = DrainTag,
    };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Probes.Where(p => p is not ("ec2" or "http" or "tcp")).Select(p => $"health:probes: '{p}' is not a probe; use ec2, http or tcp"));
        Check(errors, "health:intervalMs", IntervalMs, 100, 60_000);
        Check(errors, "health:timeoutMs", TimeoutMs, 10, 30_000);
        Check(errors, "health:attemptsPerRound", AttemptsPerRound, 1, 10);
        Check(errors, "health:failAfter", FailAfter, 1, 100);
        Check(errors, "health:recoverAfter", RecoverAfter, 1, 100);
        Check(errors, "health:agentPort", AgentPort, 1, 65535);
        Check(errors, "health:holdSeconds", HoldSeconds, 0, 3600);
        Check(errors, "health:maxFailovers", MaxFailovers, 1, 1000);
        Check(errors, "health:windowSeconds", WindowSeconds, 1, 86_400);
        if ((long)TimeoutMs * AttemptsPerRound > IntervalMs)
        {
            errors.Add($"health:timeoutMs: {TimeoutMs} × attemptsPerRound {AttemptsPerRound} must fit in intervalMs {IntervalMs}");
        }

        return errors;
    }

    private static void Check(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: {value} must be from {min} to {max}");
        }
    }
}
