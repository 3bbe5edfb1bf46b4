using System.Text.RegularExpressions;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Core.Topology;

/// <summary>
/// Semantic rules of a topology. Collects every problem; each names the key path, the value and what would be
/// valid. Used by <see cref="TopologyReader"/> (with line numbers) and for configurations built in code.
/// </summary>
public static partial class TopologyValidator
{
    public const int MaxSlots = 1024;
    public const int MaxWeight = 1000;

    /// <summary>The adjustable maximum of routes per VPC route table.</summary>
    public const int MaxRouteLimit = 1000;

    /// <summary>A block holds at most 2^16 addresses (a /16 of IPv4).</summary>
    public const int MaxBlockHostBits = 16;

    /// <summary>A group holds at most 2^22 blocks, so its allocation bitmap stays small.</summary>
    public const int MaxBlocksPerGroupBits = 22;

    /// <param name="planChecks">False to skip the rules over the whole plan (capacity, route budget), for a partly bound file.</param>
    public static IReadOnlyList<ConfigError> Validate(TopologyConfig config, IReadOnlyDictionary<string, int>? lines = null, bool planChecks = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Add(string path, object? value, string message) =>
            errors.Add(new ConfigError(path, lines is not null && lines.TryGetValue(path, out var l) ? l : null, value?.ToString(), message));

        if (!ClusterName().IsMatch(config.Cluster))
        {
            Add("cluster", config.Cluster, "must be 1–253 characters of letters, digits, '.', '-' or '_', starting with a letter or digit (the kops cluster name)");
        }

        if (config.Networks.Count == 0 && planChecks)
        {
            Add("networks", null, "needs at least one pod network");
        }

        for (var i = 0; i < config.Networks.Count; i++)
        {
            ValidateNetwork(config, i, planChecks, Add);
        }

        ValidateZones(config, Add);
        ValidateSlots(config, Add);
        ValidateRouteLimits(config, Add);
        if (planChecks)
        {
            ValidateRouteBudget(config, Add);
        }
        return errors;
    }

    private static void ValidateNetwork(TopologyConfig config, int i, bool planChecks, Action<string, object?, string> add)
    {
        var network = config.Networks[i];
        var path = $"networks[{i}]";
        if (!Name().IsMatch(network.Name))
        {
            add($"{path}.name", network.Name, "must be 1–63 lowercase letters, digits or '-', starting with a letter");
        }

        if (config.Networks.Take(i).Any(n => n.Name == network.Name))
        {
            add($"{path}.name", network.Name, "is already the name of an earlier network; names must be unique");
        }

        for (var j = 0; j < i; j++)
        {
            var earlier = config.Networks[j];
            if (earlier.Cidr.Overlaps(network.Cidr))
            {
                add($"{path}.cidr", network.Cidr, $"overlaps networks[{j}] '{earlier.Name}' ({earlier.Cidr}); pod networks must be disjoint");
            }
        }

        var width = network.Cidr.Width;
        if (network.BlockMask < network.Cidr.PrefixLength || network.BlockMask > width)
        {
            add($"{path}.blockMask", network.BlockMask, $"must be between the network's mask /{network.Cidr.PrefixLength} and /{width}");
        }

        for (var e = 0; e < network.Exclude.Count; e++)
        {
            var range = network.Exclude[e];
            if (!network.Cidr.Contains(range))
            {
                add($"{path}.exclude[{e}]", range, $"lies outside its network {network.Cidr}; an excluded range must be inside it");
            }
        }

        if (network.BlockMask < network.Cidr.PrefixLength || network.BlockMask > width || !IsPlannable(config) || !planChecks)
        {
            return;
        }

        if (width - network.BlockMask > MaxBlockHostBits)
        {
            add($"{path}.blockMask", network.BlockMask, $"makes blocks of more than {1 << MaxBlockHostBits} addresses; use /{width - MaxBlockHostBits} or longer");
            return;
        }

        var groupPrefix = TopologyLayout.SmallestGroupPrefix(config, network);
        var largestGroupPrefix = network.Cidr.PrefixLength + TopologyLayout.Log2Ceiling(config.SubnetsPerZone) + TopologyLayout.Log2Ceiling(config.GroupsPerSubnet);
        if (network.BlockMask - largestGroupPrefix > MaxBlocksPerGroupBits)
        {
            add($"{path}.blockMask", network.BlockMask, $"gives groups of more than 2^{MaxBlocksPerGroupBits} blocks; use a blockMask of /{largestGroupPrefix + MaxBlocksPerGroupBits} or shorter, or more groups");
        }

        if (groupPrefix > network.BlockMask)
        {
            var zones = config.PlannedZoneCount;
            add($"{path}.cidr", network.Cidr,
                $"cannot hold {zones} zone(s) × {config.SubnetsPerZone} subnet slot(s) × {config.GroupsPerSubnet} group(s) of at least one /{network.BlockMask} block: " +
                $"groups would be /{groupPrefix}; use a network of /{network.Cidr.PrefixLength - (groupPrefix - network.BlockMask)} or larger, " +
                "fewer zones, subnetsPerZone or groupsPerSubnet, or a longer blockMask");
        }
    }

    private static void ValidateZones(TopologyConfig config, Action<string, object?, string> add)
    {
        if (config.Zones is null)
        {
            return;
        }

        if (config.Zones.Count == 0)
        {
            add("zones", null, "is an empty list; list the Availability Zones in use, or omit the key to discover them from the instances");
        }

        for (var i = 0; i < config.Zones.Count; i++)
        {
            var zone = config.Zones[i];
            if (!ZoneName().IsMatch(zone.Name))
            {
                add($"zones[{i}].name", zone.Name, "must be an Availability Zone name such as us-east-1a (letters, digits and '-')");
            }

            if (config.Zones.Take(i).Any(z => z.Name == zone.Name))
            {
                add($"zones[{i}].name", zone.Name, "is listed twice; zone names must be unique");
            }

            if (zone.Weight is < 1 or > MaxWeight)
            {
                add($"zones[{i}].weight", zone.Weight, $"must be from 1 to {MaxWeight}");
            }
        }
    }

    private static void ValidateSlots(TopologyConfig config, Action<string, object?, string> add)
    {
        if (!TopologyLayout.IsPowerOfTwo(config.SubnetsPerZone))
        {
            add("subnetsPerZone", config.SubnetsPerZone, $"must be a power of two so slots stay aligned; nearest: {TopologyLayout.NearestPowersOfTwo(config.SubnetsPerZone)}");
        }

        if (!TopologyLayout.IsPowerOfTwo(config.GroupsPerSubnet))
        {
            add("groupsPerSubnet", config.GroupsPerSubnet, $"must be a power of two so groups stay aligned; nearest: {TopologyLayout.NearestPowersOfTwo(config.GroupsPerSubnet)}");
        }

        if (config.MaxZones is < 1 or > MaxSlots)
        {
            add("maxZones", config.MaxZones, $"must be from 1 to {MaxSlots}");
        }
    }

    private static void ValidateRouteLimits(TopologyConfig config, Action<string, object?, string> add)
    {
        if (config.RouteLimit is < 1 or > MaxRouteLimit)
        {
            add("routeLimit", config.RouteLimit, $"must be from 1 to {MaxRouteLimit} (AWS's adjustable maximum of routes per table)");
        }
        else if (config.RouteHeadroom < 0 || config.RouteHeadroom >= config.RouteLimit)
        {
            add("routeHeadroom", config.RouteHeadroom, $"must be from 0 to {config.RouteLimit - 1} (less than routeLimit {config.RouteLimit})");
        }
    }

    private static bool HasValidRouteLimits(TopologyConfig config) =>
        config.RouteLimit is >= 1 and <= MaxRouteLimit && config.RouteHeadroom >= 0 && config.RouteHeadroom < config.RouteLimit;

    private static void ValidateRouteBudget(TopologyConfig config, Action<string, object?, string> add)
    {
        if (!HasValidRouteLimits(config) || !IsPlannable(config) || config.Networks.Count == 0)
        {
            return;
        }

        var needed = config.MaxRoutesPerTable;
        var budget = config.RouteBudget;
        if (needed <= budget)
        {
            return;
        }

        var perGroupRow = config.Networks.Count * config.PlannedZoneCount * config.SubnetsPerZone;
        var fittingGroups = LargestPowerOfTwoAtMost(budget / Math.Max(1, perGroupRow));
        var suggestions = new List<string>();
        if (fittingGroups >= 1)
        {
            suggestions.Add($"groupsPerSubnet: {fittingGroups} ({perGroupRow * fittingGroups} routes)");
        }

        var perSubnetRow = config.Networks.Count * config.PlannedZoneCount * config.GroupsPerSubnet;
        var fittingSubnets = LargestPowerOfTwoAtMost(budget / Math.Max(1, perSubnetRow));
        if (fittingSubnets >= 1 && fittingSubnets < config.SubnetsPerZone)
        {
            suggestions.Add($"subnetsPerZone: {fittingSubnets} ({perSubnetRow * fittingSubnets} routes)");
        }

        if (needed + config.RouteHeadroom <= MaxRouteLimit)
        {
            suggestions.Add($"routeLimit: {needed + config.RouteHeadroom} (after raising the account's routes-per-table quota)");
        }

        var zonesWord = config.Zones is null ? $"maxZones {config.MaxZones}" : $"{config.Zones.Count} zone(s)";
        add("groupsPerSubnet", config.GroupsPerSubnet,
            $"the plan needs up to {needed} routes per table ({config.Networks.Count} network(s) × {zonesWord} × {config.SubnetsPerZone} subnet slot(s) × {config.GroupsPerSubnet} group(s)) " +
            $"but the budget is {budget} (routeLimit {config.RouteLimit} − routeHeadroom {config.RouteHeadroom}); set " + string.Join(", or ", suggestions));
    }

    private static bool IsPlannable(TopologyConfig config) =>
        TopologyLayout.IsPowerOfTwo(config.SubnetsPerZone) && TopologyLayout.IsPowerOfTwo(config.GroupsPerSubnet)
        && config.MaxZones is >= 1 and <= MaxSlots && (config.Zones is null || config.Zones.All(z => z.Weight is >= 1 and <= MaxWeight));

    private static int LargestPowerOfTwoAtMost(int value) => value < 1 ? 0 : 1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)value));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ZoneName();
}
