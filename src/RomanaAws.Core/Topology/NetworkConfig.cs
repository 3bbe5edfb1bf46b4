using RomanaAws.Core.Net;

namespace RomanaAws.Core.Topology;

/// <summary>One pod network: the CIDR carved into zones, the block size hosts take, and ranges never allocated.</summary>
public sealed record NetworkConfig
{
    public const int DefaultBlockMask = 28;

    public required string Name { get; init; }

    public required Cidr Cidr { get; init; }

    public int BlockMask { get; init; } = DefaultBlockMask;

    public IReadOnlyList<Cidr> Exclude { get; init; } = [];
}
