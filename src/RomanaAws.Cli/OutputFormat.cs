namespace RomanaAws.Cli;

/// <summary>How a command prints: aligned tables for people, JSON for machines.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}
