namespace RomanaAws.VpcSim.World;

/// <summary>World-wide behaviour knobs, from the scenario.</summary>
internal sealed record SimSettings
{
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Routes per route table (AWS's classic default quota).</summary>
    public int RouteLimit { get; init; } = 50;

    /// <summary>Instances that are not terminated the account may have (RunInstances past it: InstanceLimitExceeded).</summary>
    public int InstanceLimit { get; init; } = 1000;

    /// <summary>How long pending/stopping/shutting-down last before the next state.</summary>
    public TimeSpan TransitionTime { get; init; } = TimeSpan.Zero;
}
