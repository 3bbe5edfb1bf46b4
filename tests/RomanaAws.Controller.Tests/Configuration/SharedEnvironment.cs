namespace RomanaAws.Controller.Tests.Configuration;

/// <summary>
/// Tests that set process environment variables (ROMANA_*) run alone: every config load in the assembly reads the
/// environment, so a parallel test would see their values.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedEnvironment
{
    public const string Name = "process environment";
}
