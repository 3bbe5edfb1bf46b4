namespace RomanaAws.Cli.Commands;

/// <summary>A file named on the command line that cannot be read: bad usage (exit code 2).</summary>
internal sealed class InputFileException : Exception
{
    public InputFileException()
    {
    }

    public InputFileException(string message)
        : base(message)
    {
    }

    public InputFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
