namespace RomanaAws.Cli;

/// <summary>What every command handler gets: where to write, and when to stop.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, CancellationToken CancellationToken);
