using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Topology;

/// <summary>
/// Turns topology text (YAML or JSON) into a validated <see cref="TopologyConfig"/>, or a
/// <see cref="ConfigException"/> listing every problem at once with key path, line and value.
/// </summary>
public static class TopologyReader
{
    internal static readonly string[] RootKeys =
        ["cluster", "networks", "zones", "maxZones", "subnetsPerZone", "groupsPerSubnet", "routeLimit", "routeHeadroom", "routing", "aws", "controller", "health", "metrics", "kubernetes", "etcd", "api"];

    /// <summary>
    /// Keys of the sections that configure the services rather than the topology. Their values are bound by the
    /// services (Microsoft.Extensions.Configuration); here only their names are checked, so a typo is caught with its line.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ServiceSections { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["aws"] = ["region", "ec2ServiceUrl", "cloudWatchServiceUrl", "maxRetries", "retryBaseDelayMs", "mutationsPerSecond", "mutationBurst", "maxConcurrency", "callTimeoutSeconds"],
        ["controller"] = ["vpcId", "routeTables", "resyncSeconds", "maxDeletesPerPass", "hostGraceSeconds", "stateBackend", "stateFile", "advertise", "listen", "dryRun"],
        ["health"] = ["probes", "targets", "intervalMs", "timeoutMs", "attemptsPerRound", "failAfter", "recoverAfter", "agentPort", "drainTag", "holdSeconds", "maxFailovers", "windowSeconds"],
        ["metrics"] = ["enabled", "namespace", "publishSeconds"],
        ["kubernetes"] = ["kubeconfig", "resyncSeconds"],
        ["etcd"] = ["endpoints", "prefix", "caFile", "certFile", "keyFile", "leaseSeconds", "maxTxnOps", "callTimeoutSeconds"],
        ["api"] = ["tlsCertFile", "tlsKeyFile", "tlsCaFile", "tlsServerName", "auth", "insecure", "audience", "agentServiceAccount", "operatorGroups", "operatorUsers", "tokenCacheSeconds", "mutationsPerSecond", "mutationBurst", "maxBodyBytes"],
    };

    internal static readonly string[] NetworkKeys = ["name", "cidr", "blockMask", "exclude"];

    internal static readonly string[] ZoneKeys = ["name", "weight"];

    public static TopologyConfig Parse(string text, string source) => Parse(ConfigDocumentReader.Read(text, source), source);

    /// <summary>The same, for a document already read (the controller's config file is read once for topology and settings).</summary>
    public static TopologyConfig Parse(ConfigNode root, string source)
    {
        ArgumentNullException.ThrowIfNull(root);
        var errors = new List<ConfigError>();
        var config = Bind(root, errors);
        if (config is not null)
        {
            // Item rules always run; rules over the whole plan (capacity, route budget) only on a fully bound file,
            // so a value that failed to parse cannot produce a misleading second error.
            errors.AddRange(TopologyValidator.Validate(config, LineIndex(root), planChecks: errors.Count == 0));
        }

        return errors.Count > 0 || config is null
            ? throw new ConfigException(source, errors.OrderBy(e => e.Line ?? int.MaxValue).ToList())
            : config;
    }

    private static TopologyConfig? Bind(ConfigNode root, List<ConfigError> errors)
    {
        var reader = MappingReader.Open(root, errors, RootKeys);
        if (reader is null)
        {
            return null;
        }

        foreach (var (section, keys) in ServiceSections)
        {
            if (reader.Node(section) is { } node && node is not ConfigScalar { IsNull: true })
            {
                _ = MappingReader.Open(node, errors, keys);
            }
        }

        var cluster = reader.Text("cluster", required: true);
        var networks = (reader.List("networks", required: true) ?? []).Select(n => BindNetwork(n, errors)).ToList();
        var zoneNodes = reader.List("zones", required: false);
        var zones = zoneNodes?.Select(z => BindZone(z, errors)).ToList();

        // Bind what could be read, so the validator still checks the rest in the same pass. A list with an item that
        // failed is left out whole (its items' rules would name shifted indices); that item is already an error.
        var settings = ReadSettings(reader);
        var routing = RoutingReader.Bind(reader.Node("routing"), errors, zones is not null && zones.All(z => z is not null) ? zones.OfType<ZoneConfig>().ToList() : null, settings.SubnetsPerZone);
        for (var i = 0; routing.Advertised && i < networks.Count; i++)
        {
            if (networks[i] is { Cidr.Family: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6)
            {
                errors.Add(new ConfigError($"networks[{i}].cidr", null, v6.Cidr.ToString(), $"routing mode {routing.Mode.ToString().ToLowerInvariant()} advertises IPv4 pod networks only (BIRD peers and floods over IPv4 here); use mode vpc or an IPv4 network"));
            }
        }

        return new TopologyConfig
        {
            Cluster = cluster ?? "unnamed",
            Networks = networks.All(n => n is not null) ? networks.OfType<NetworkConfig>().ToList() : [],
            Zones = zones is not null && zones.All(z => z is not null) ? zones.OfType<ZoneConfig>().ToList() : null,
            MaxZones = settings.MaxZones,
            SubnetsPerZone = settings.SubnetsPerZone,
            GroupsPerSubnet = settings.GroupsPerSubnet,
            RouteLimit = settings.RouteLimit,
            RouteHeadroom = settings.RouteHeadroom,
            Routing = routing,
        };
    }

    private static (int MaxZones, int SubnetsPerZone, int GroupsPerSubnet, int RouteLimit, int RouteHeadroom) ReadSettings(MappingReader reader) =>
    (
        reader.Number("maxZones", TopologyConfig.DefaultMaxZones, 1, TopologyValidator.MaxSlots),
        reader.Number("subnetsPerZone", TopologyConfig.DefaultSubnetsPerZone, 1, TopologyValidator.MaxSlots),
        reader.Number("groupsPerSubnet", TopologyConfig.DefaultGroupsPerSubnet, 1, TopologyValidator.MaxSlots),
        reader.Number("routeLimit", TopologyConfig.DefaultRouteLimit, 1, TopologyValidator.MaxRouteLimit),
        reader.Number("routeHeadroom", TopologyConfig.DefaultRouteHeadroom, 0, TopologyValidator.MaxRouteLimit - 1)
    );

    private static NetworkConfig? BindNetwork(ConfigNode node, List<ConfigError> errors)
    {
        var reader = MappingReader.Open(node, errors, NetworkKeys);
        if (reader is null)
        {
            return null;
        }

        var name = reader.Text("name", required: true);
        var cidr = ReadCidr(reader, "cidr", errors);
        var blockMask = reader.Number("blockMask", NetworkConfig.DefaultBlockMask, 0, 128);
        var exclude = new List<Cidr>();
        var ok = true;
        foreach (var item in reader.List("exclude", required: false) ?? [])
        {
            var text = (item as ConfigScalar)?.Value;
            if (text is not null && Cidr.TryParse(text, out var range, out var error))
            {
                exclude.Add(range);
                continue;
            }

            _ = Cidr.TryParse(text, out _, out error);
            errors.Add(ConfigError.At(item, text is null ? "expected a CIDR such as 100.96.0.0/24" : error));
            ok = false;
        }

        return name is null || cidr is null || !ok
            ? null
            : new NetworkConfig { Name = name, Cidr = cidr.Value, BlockMask = blockMask, Exclude = exclude };
    }

    private static Cidr? ReadCidr(MappingReader reader, string key, List<ConfigError> errors)
    {
        var text = reader.Text(key, required: true);
        if (text is null)
        {
            return null;
        }

        if (!Cidr.TryParse(text, out var cidr, out var error))
        {
            errors.Add(ConfigError.At(reader.Node(key)!, error));
            return null;
        }

        return cidr;
    }

    private static ZoneConfig? BindZone(ConfigNode node, List<ConfigError> errors)
    {
        if (node is ConfigScalar { Value: { } bare })
        {
            return new ZoneConfig { Name = bare };
        }

        var reader = MappingReader.Open(node, errors, ZoneKeys);
        if (reader is null)
        {
            return null;
        }

        var name = reader.Text("name", required: true);
        var weight = reader.Number("weight", ZoneConfig.DefaultWeight, 1, TopologyValidator.MaxWeight);
        return name is null ? null : new ZoneConfig { Name = name, Weight = weight };
    }

    /// <summary>Key path → line, for attaching lines to semantic errors found after binding.</summary>
    internal static Dictionary<string, int> LineIndex(ConfigNode root)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        Visit(root);
        return index;

        void Visit(ConfigNode node)
        {
            if (node.Line is { } line)
            {
                index.TryAdd(node.Path, line);
            }

            switch (node)
            {
                case ConfigMapping mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        Visit(entry.Value);
                    }

                    break;
                case ConfigSequence sequence:
                    foreach (var item in sequence.Items)
                    {
                        Visit(item);
                    }

                    break;
            }
        }
    }
}
