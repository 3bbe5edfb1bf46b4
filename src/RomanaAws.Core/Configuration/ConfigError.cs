namespace RomanaAws.Core.Configuration;

/// <summary>One problem in a configuration: where (key path, line), what was found, and what would be valid.</summary>
public sealed record ConfigError(string Path, int? Line, string? Value, string Message)
{
    public static ConfigError At(ConfigNode node, string message) =>
        new(node.Path, node.Line, (node as ConfigScalar)?.Value, message);

    public override string ToString()
    {
        // Everything that may carry the user's input is capped (Echo), so a 20 MB value cannot make a 20 MB message.
        var where = Line is { } line ? $"{Echo.Cap(Path)} (line {line})" : Echo.Cap(Path);
        return Value is null ? $"{where}: {Echo.Cap(Message, 4 * Echo.MaxChars)}" : $"{where}: '{Echo.Cap(Value)}': {Echo.Cap(Message, 4 * Echo.MaxChars)}";
    }
}
