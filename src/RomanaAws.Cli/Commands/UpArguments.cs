namespace RomanaAws.Cli.Commands;

/// <summary>What <c>romana-aws lab up</c> was asked for.</summary>
internal sealed record UpArguments(FileInfo? Scenario, FileInfo? Config, int PodsPerNode, FileInfo? Plugin, FileInfo? Image, bool Keep, int Failovers, bool Policy, int Grow);
