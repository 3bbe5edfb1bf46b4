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

    /// <summary>At most this many problems are listed in the message (all stay in <see cref="Errors"/>).</summary>
    public const int MaxListed = 100;

    private static string Format(string source, IReadOnlyList<ConfigError> errors)
    {
        var head = errors.Count == 1 ? $"{source}: 1 problem:" : $"{source}: {errors.Count} problems:";
        var listed = errors.Take(MaxListed).Select(e => $"{Environment.NewLine}  {e}");
        var more = errors.Count > MaxListed ? $"{Environment.NewLine}  … and {errors.Count - MaxListed} more" : string.Empty;
        return head + string.Concat(listed) + more;
    }
}
