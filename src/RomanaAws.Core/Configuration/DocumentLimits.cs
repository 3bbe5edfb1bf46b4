namespace RomanaAws.Core.Configuration;

/// <summary>
/// Bounds on a configuration document, enforced while it is parsed (never after a tree is built), so a hostile or
/// broken file costs at most this much: a size, a nesting depth and a node count. YAML aliases are refused outright
/// (a "billion laughs" file expands aliases exponentially), so a document's tree is never larger than its text.
/// </summary>
public sealed record DocumentLimits
{
    /// <summary>The defaults: 4 MiB of text, 64 levels, 1,000,000 nodes (a 200,000-host hosts file is about 800,000).</summary>
    public static DocumentLimits Default { get; } = new();

    /// <summary>Hosts files list every node: 64 MiB and 8,000,000 values (about 1.5 million hosts).</summary>
    public static DocumentLimits HostList { get; } = new() { MaxChars = InputFile.HostListMaxBytes, MaxNodes = 8_000_000 };

    public int MaxChars { get; init; } = 4 * 1024 * 1024;

    public int MaxDepth { get; init; } = 64;

    public int MaxNodes { get; init; } = 1_000_000;
}
