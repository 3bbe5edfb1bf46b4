using RomanaAws.Core.Health;
using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Tests.Health;

public sealed class HostHealthTests
{
    private static readonly HealthSettings Settings = new();
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static HostHealth Run(HostHealth start, params (Ec2Signal Ec2, bool? Passed)[] rounds)
    {
        var health = start;
        for (var i = 0; i < rounds.Length; i++)
        {
            health = health.Observe(new ProbeRound(T0.AddSeconds(i + 1), rounds[i].Ec2, rounds[i].Passed, "HTTP 503"), Settings);
        }

        return health;
    }

    [Fact]
    public void Ec2Down_FailsAtOnce_WithoutWaitingForProbes()
    {
        var health = Run(HostHealth.New(T0), (Ec2Signal.Down, null));
        Assert.Equal(TargetHealth.Failed, health.State);
        Assert.Equal(T0.AddSeconds(1), health.ChangedAt);
        Assert.Contains("stopped or terminated", health.Reason, StringComparison.Ordinal);
        Assert.Equal(TargetHealth.Failed, Run(HostHealth.New(T0), (Ec2Signal.Impaired, true)).State);
    }

    [Fact]
    public void Draining_IsQuestionable_AndFailingProbesStillFail()
    {
        Assert.Equal(TargetHealth.Questionable, Run(HostHealth.New(T0), (Ec2Signal.Draining, true)).State);
        Assert.Equal(TargetHealth.Failed, Run(HostHealth.New(T0), (Ec2Signal.Draining, false), (Ec2Signal.Draining, false), (Ec2Signal.Draining, false)).State);
    }

    [Fact]
    public void Probes_FailAfterThree_RecoverAfterFive()
    {
        var two = Run(HostHealth.New(T0), (Ec2Signal.Running, false), (Ec2Signal.Running, false));
        Assert.Equal(TargetHealth.Healthy, two.State);
        var three = two.Observe(new ProbeRound(T0.AddSeconds(3), Ec2Signal.Running, false, "HTTP 503"), Settings);
        Assert.Equal(TargetHealth.Failed, three.State);
        Assert.Equal(T0.AddSeconds(3), three.ChangedAt);
        Assert.Equal(T0, three.LastHealthyAt);

        var four = Run(three, (Ec2Signal.Running, true), (Ec2Signal.Running, true), (Ec2Signal.Running, true), (Ec2Signal.Running, true));
        Assert.Equal(TargetHealth.Failed, four.State);
        Assert.Equal(TargetHealth.Healthy, four.Observe(new ProbeRound(T0.AddSeconds(9), Ec2Signal.Running, true), Settings).State);
    }

    [Fact]
    public void StartedAgain_NeedsTheProbesTrustBeforeHealthy()
    {
        var down = Run(HostHealth.New(T0), (Ec2Signal.Down, false), (Ec2Signal.Down, false), (Ec2Signal.Down, false));
        var back = Run(down, (Ec2Signal.Running, true), (Ec2Signal.Running, true));
        Assert.Equal(TargetHealth.Failed, back.State);
        Assert.Contains("recovering", back.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TwentyPercentDroppedAttempts_TenMinutes_TenHosts_NoFalseFailure()
    {
        // A round makes up to AttemptsPerRound attempts and passes if any does; each attempt is dropped with p = 0.2.
        var random = new Random(20261123);
        var failures = 0;
        for (var host = 0; host < 10; host++)
        {
            var health = HostHealth.New(T0);
            for (var second = 1; second <= 600; second++)
            {
                var passed = Enumerable.Range(0, Settings.AttemptsPerRound).Any(_ => random.NextDouble() >= 0.2);
                health = health.Observe(new ProbeRound(T0.AddSeconds(second), Ec2Signal.Running, passed, "timeout"), Settings);
                failures += health.State == TargetHealth.Failed ? 1 : 0;
            }
        }

        Assert.Equal(0, failures);
    }
}
