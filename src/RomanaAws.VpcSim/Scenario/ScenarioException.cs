namespace RomanaAws.VpcSim.Scenario;

/// <summary>A scenario file that cannot be used; lists every problem with the field it concerns.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string source, IReadOnlyList<string> problems)
        : base($"{source}: {problems.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    public ScenarioException()
        : this("scenario", [])
    {
    }

    public ScenarioException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
