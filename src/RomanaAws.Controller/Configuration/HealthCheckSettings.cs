using RomanaAws.Core.Health;

namespace RomanaAws.Controller.Configuration;

#pragma warning disable CA1002, CA2227 // Options bound by Microsoft.Extensions.Configuration.

/// <summary>The <c>health:</c> section: which probes, how often, hysteresis and flap damping.</summary>
public sealed class HealthCheckSettings
{
    public const string Section = "health";

    /// <summary>Any of "ec2" (state, status checks, events), "http" (the node agent's /healthz), "tcp" (connect to the agent port).</summary>
    public List<string> Probes { get; set; } = ["ec2", "http"];

    [SettingRange(100, 60_000)]
    public int IntervalMs { get; set; } = 1000;

    [SettingRange(10, 30_000)]
    public int TimeoutMs { get; set; } = 250;

    [SettingRange(1, 10)]
    public int AttemptsPerRound { get; set; } = 3;

    [SettingRange(1, 100)]
    public int FailAfter { get; set; } = 3;

    [SettingRange(1, 100)]
    public int RecoverAfter { get; set; } = 5;

    /// <summary>The node agent's health port on each node (probes go to the instance's private IP).</summary>
    [SettingRange(1, 65535)]
    public int AgentPort { get; set; } = 9612;

    public string DrainTag { get; set; } = "romana.io/drain";

    /// <summary>Minimum time between two moves of a group's route away from a questionable (not failed) target.</summary>
    [SettingRange(0, 3600)]
    public int HoldSeconds { get; set; } = 10;

    [SettingRange(1, 1000)]
    public int MaxFailovers { get; set; } = 5;

    [SettingRange(1, 86_400)]
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

    /// <summary>
    /// Where http/tcp probes go: <c>privateIp</c> (each instance's private IP and <see cref="AgentPort"/>, production),
    /// <c>simulator</c> (the simulator's loopback health endpoints, from its admin API), or <c>auto</c> (the default):
    /// simulator when <c>aws.ec2ServiceUrl</c> is a loopback URL, else privateIp. Against a local endpoint no probe is
    /// ever sent to an instance's private address.
    /// </summary>
    public string Targets { get; set; } = "auto";

    /// <summary>What the binder's types and ranges cannot say.</summary>
    public IEnumerable<SettingProblem> Validate()
    {
        foreach (var probe in Probes.Where(p => p is not ("ec2" or "http" or "tcp")))
        {
            yield return new SettingProblem("health:probes", probe, "is not a probe; use ec2, http or tcp");
        }

        if (Targets is not ("auto" or "privateIp" or "simulator"))
        {
            yield return new SettingProblem("health:targets", Targets, "must be auto, privateIp or simulator");
        }

        if ((long)TimeoutMs * AttemptsPerRound > IntervalMs)
        {
            yield return new SettingProblem("health:timeoutMs", TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture), $"× attemptsPerRound {AttemptsPerRound} must fit in intervalMs {IntervalMs}");
        }
    }
}
