using System.Numerics;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Topology;

/// <summary>
/// The carving arithmetic, in one place: how long the zone, subnet-slot and group prefixes of a network are.
/// Every level is a power-of-two split, so every zone, subnet slot and group is one aligned CIDR.
/// </summary>
public static class TopologyLayout
{
    /// <summary>
    /// Prefix length of a zone's aggregate: weight / max(total weight, maxZones) of the network, rounded down to a
    /// power of two. With the default maxZones of 4, three zones get a quarter each and a quarter stays spare; two
    /// zones also get a quarter each, so two more can be added later without renumbering.
    /// </summary>
    public static int ZonePrefix(TopologyConfig config, NetworkConfig network, int weight)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        if (config.Zones is null)
        {
            return network.Cidr.PrefixLength + Log2Ceiling(config.MaxZones);
        }

        var total = Math.Max(config.Zones.Sum(z => (long)z.Weight), config.MaxZones);
        // share = weight / total, rounded down to 1 / 2^k: the smallest k with 2^k * weight >= total.
        var k = 0;
        while (((long)weight << k) < total)
        {
            k++;
        }

        return network.Cidr.PrefixLength + k;
    }

    /// <summary>The weight a zone carries (1 for a discovered zone, or one no longer in the configuration).</summary>
    public static int WeightOf(TopologyConfig config, string zone)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Zones?.FirstOrDefault(z => z.Name == zone)?.Weight ?? ZoneConfig.DefaultWeight;
    }

    public static int SubnetPrefix(TopologyConfig config, int zonePrefix)
    {
        ArgumentNullException.ThrowIfNull(config);
        return zonePrefix + Log2Ceiling(config.SubnetsPerZone);
    }

    public static int GroupPrefix(TopologyConfig config, int subnetPrefix)
    {
        ArgumentNullException.ThrowIfNull(config);
        return subnetPrefix + Log2Ceiling(config.GroupsPerSubnet);
    }

    /// <summary>The smallest zone prefix this configuration will carve (the zone with the least weight).</summary>
    public static int SmallestZonePrefix(TopologyConfig config, NetworkConfig network)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Zones is { Count: > 0 } zones
            ? zones.Max(z => ZonePrefix(config, network, z.Weight))
            : ZonePrefix(config, network, ZoneConfig.DefaultWeight);
    }

    /// <summary>Blocks in one group of the smallest zone; zero or less means groups cannot hold a block.</summary>
    public static int SmallestGroupPrefix(TopologyConfig config, NetworkConfig network) =>
        GroupPrefix(config, SubnetPrefix(config, SmallestZonePrefix(config, network)));

    public static bool IsPowerOfTwo(int value) => value > 0 && BitOperations.IsPow2(value);

    public static int Log2Ceiling(int value) => value <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)value - 1);

    /// <summary>The nearest powers of two around <paramref name="value"/>, for error messages.</summary>
    public static string NearestPowersOfTwo(int value)
    {
        var lower = value <= 1 ? 1 : 1 << (31 - BitOperations.LeadingZeroCount((uint)value));
        var upper = lower == value ? value : lower * 2;
        return lower == upper ? $"{lower}" : $"{lower} or {upper}";
    }

    /// <summary>Addresses a network offers once excluded ranges are taken out (overlapping exclusions counted once).</summary>
    public static UInt128 UsableAddresses(NetworkConfig network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var excluded = Cidr.Aggregate(network.Exclude.Where(network.Cidr.Contains))
            .Aggregate(UInt128.Zero, (sum, c) => sum + c.AddressCount);
        return network.Cidr.AddressCount - excluded;
    }
}
