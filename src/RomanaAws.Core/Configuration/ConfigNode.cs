namespace RomanaAws.Core.Configuration;

/// <summary>
/// A format-neutral document tree (YAML or JSON) that remembers where each node came from, so that every
/// validation error can name the key path and, where the format allows, the line.
/// </summary>
public abstract record ConfigNode(string Path, int? Line);

public sealed record ConfigScalar(string Path, int? Line, string? Value, bool IsQuoted) : ConfigNode(Path, Line)
{
    public bool IsNull => Value is null;
}

public sealed record ConfigSequence(string Path, int? Line, IReadOnlyList<ConfigNode> Items) : ConfigNode(Path, Line);

public sealed record ConfigMapping(string Path, int? Line, IReadOnlyList<ConfigEntry> Entries) : ConfigNode(Path, Line);

public sealed record ConfigEntry(string Key, int? Line, ConfigNode Value);
