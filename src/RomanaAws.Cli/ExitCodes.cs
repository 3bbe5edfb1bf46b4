namespace RomanaAws.Cli;

/// <summary>The exit codes every command uses.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed: exhausted space, a refused change, a corrupt or conflicting state file.</summary>
    public const int Failure = 1;

    /// <summary>The command was asked wrongly: bad usage, or a configuration or input file that does not validate.</summary>
    public const int BadUsage = 2;
}
