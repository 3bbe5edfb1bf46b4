namespace RomanaAws.Core.Configuration;

/// <summary>One problem in a configuration: where (key path, line), what was found, and what would be valid.</summary>
public sealed record ConfigError(string Path, int? Line, string? Value, string Message)
{
    public static ConfigError At(ConfigNode node, string message) =>
        new(node.Path, node.Line, (node as ConfigScalar)?.Value, message);

    public override string ToString()
    {
        var where = Line is { } line ? $"{Path} (line {line})" : Path;
        return Value is null ? $"{where}: {Message}" : $"{where}: '{Value}': {Message}";
    }
}
