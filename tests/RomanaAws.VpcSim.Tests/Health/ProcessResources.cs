namespace RomanaAws.VpcSim.Tests.Health;

/// <summary>Tests that count this process's file descriptors run alone, so other tests' simulators do not blur the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessResources
{
    public const string Name = "process resources";
}
