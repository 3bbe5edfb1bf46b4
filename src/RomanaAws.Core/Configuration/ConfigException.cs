namespace RomanaAws.Core.Configuration;

/// <summary>A configuration that cannot be used; carries every problem found, not just the first.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string source, IReadOnlyList<ConfigError> errors)
        : base(Format(source, errors))
    {
        Source = source;
        Errors = errors;
    }

    public ConfigException()
        : this("configuration", [])
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(string source, IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1
            ? $"{source}: 1 problem:{Environment.NewLine}  {errors[0]}"
            : $"{source}: {errors.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
}
