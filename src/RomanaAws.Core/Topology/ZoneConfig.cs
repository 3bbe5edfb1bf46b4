namespace RomanaAws.Core.Topology;

/// <summary>An Availability Zone and its relative share of each network.</summary>
public sealed record ZoneConfig
{
    public const int DefaultWeight = 1;

    public required string Name { get; init; }

    public int Weight { get; init; } = DefaultWeight;
}
