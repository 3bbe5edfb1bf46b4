using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Persistence.Records;

/// <summary>
/// The IPAM state as one record per piece, never one blob (docs/operations.md, "State on etcd"). Keys, relative to the
/// cluster's prefix:
/// <list type="bullet">
/// <item><c>topology</c>: the schema version and the topology (<see cref="TopologyValue"/>);</item>
/// <item><c>zones/NETWORK/ZONE</c>: a zone's aggregate (<see cref="ZoneValue"/>);</item>
/// <item><c>subnets/NETWORK/ZONE/SLOT</c>: a subnet slot, its groups and their member hosts (<see cref="SubnetValue"/>);</item>
/// <item><c>hosts/INSTANCE</c>: a host and its arrival order (<see cref="HostValue"/>);</item>
/// <item><c>blocks/NETWORK/CIDR</c> (<c>/</c> of the CIDR as <c>_</c>): a block, its host, owner and pods or usage (<see cref="BlockDocument"/>).</item>
/// </list>
/// Pure: the same document (and known arrival numbers) gives the same records; a host joining writes its host record
/// and its subnet slot, a block claim one block record. <see cref="FromRecords"/> rebuilds the document the state file
/// would hold; the IPAM then checks it in full, as it checks a file.
/// </summary>
public static class StateRecords
{
    public const string TopologyKey = "topology";
    public const string InflightKey = "inflight";
    public const int SchemaVersion = IpamStateDocument.CurrentSchemaVersion;

    /// <summary>
    /// The records of <paramref name="document"/>. A host keeps the arrival number it has in <paramref name="seqs"/>;
    /// a new one gets the next after the highest known, so a host leaving rewrites no other host.
    /// </summary>
    public static SortedDictionary<string, string> ToRecords(IpamStateDocument document, IReadOnlyDictionary<string, long> seqs)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(seqs);
        var records = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [TopologyKey] = Json(new TopologyValue(SchemaVersion, document.Topology), IpamStateJsonContext.Default.TopologyValue),
        };
        foreach (var network in document.Networks)
        {
            for (var z = 0; z < network.Zones.Count; z++)
            {
                var zone = network.Zones[z];
                records[$"zones/{network.Name}/{zone.Name}"] = Json(new ZoneValue(z, zone.Cidr), IpamStateJsonContext.Default.ZoneValue);
                foreach (var subnet in zone.Subnets)
                {
                    records[$"subnets/{network.Name}/{zone.Name}/{subnet.Slot}"] = Json(new SubnetValue(subnet.Id, subnet.Groups), IpamStateJsonContext.Default.SubnetValue);
                }
            }
        }

        var next = seqs.Count == 0 ? 1 : seqs.Values.Max() + 1;
        foreach (var host in document.Hosts)
        {
            var seq = seqs.TryGetValue(host.InstanceId, out var known) ? known : next++;
            records[HostKey(host.InstanceId)] = Json(new HostValue(seq, host.Zone, host.Subnet, host.Ip), IpamStateJsonContext.Default.HostValue);
        }

        foreach (var block in document.Blocks)
        {
            records[BlockKey(block.Network, block.Cidr)] = Json(block, IpamStateJsonContext.Default.BlockDocument);
        }

        return records;
    }

    /// <summary>The arrival numbers of the hosts in <paramref name="records"/> (what <see cref="ToRecords"/> keeps).</summary>
    public static Dictionary<string, long> HostSeqs(IReadOnlyDictionary<string, string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Where(r => r.Key.StartsWith("hosts/", StringComparison.Ordinal))
            .ToDictionary(r => r.Key["hosts/".Length..], r => Parse(r.Key, r.Value, IpamStateJsonContext.Default.HostValue, "etcd").Seq, StringComparer.Ordinal);
    }

    /// <summary>
    /// The document the records hold, or null when there is no <c>topology</c> record (nothing stored). A record that
    /// is not JSON of its kind, a key of no known kind, or a key that disagrees with its value is an error naming the key.
    /// </summary>
    public static IpamStateDocument? FromRecords(IReadOnlyDictionary<string, string> records, long revision, string source)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!records.TryGetValue(TopologyKey, out var topologyText))
        {
            return records.Keys.FirstOrDefault(k => k != InflightKey) is { } stray
                ? throw new IpamStateException($"{source}: record '{stray}' without a '{TopologyKey}' record; the state is incomplete (restore it, or delete the prefix to start anew)")
                : null;
        }

        var topology = Parse(TopologyKey, topologyText, IpamStateJsonContext.Default.TopologyValue, source);
        if (topology.SchemaVersion is < IpamStateDocument.OldestSchemaVersion or > SchemaVersion)
        {
            throw new IpamStateException($"{source}: record '{TopologyKey}' has schema version {topology.SchemaVersion}; this romana-aws reads {IpamStateDocument.OldestSchemaVersion}–{SchemaVersion}");
        }

        var zones = new Dictionary<string, List<(int Index, ZoneStateDocument Zone)>>(StringComparer.Ordinal);
        var subnets = new Dictionary<(string Network, string Zone), List<SubnetStateDocument>>();
        var hosts = new List<(long Seq, HostDocument Host)>();
        var blocks = new List<BlockDocument>();
        foreach (var (key, value) in records)
        {
            var parts = key.Split('/');
            switch (parts[0])
            {
                case TopologyKey or InflightKey when parts.Length == 1:
                    break;
                case "zones" when parts.Length == 3:
                    var zone = Parse(key, value, IpamStateJsonContext.Default.ZoneValue, source);
                    Add(zones, parts[1], (zone.Index, new ZoneStateDocument(parts[2], zone.Cidr, [])));
                    break;
                case "subnets" when parts.Length == 4 && int.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var slot):
                    var subnet = Parse(key, value, IpamStateJsonContext.Default.SubnetValue, source);
                    Add(subnets, (parts[1], parts[2]), new SubnetStateDocument(subnet.Id, slot, subnet.Groups));
                    break;
                case "hosts" when parts.Length == 2:
                    var host = Parse(key, value, IpamStateJsonContext.Default.HostValue, source);
                    hosts.Add((host.Seq, new HostDocument(parts[1], host.Zone, host.Subnet, host.Ip)));
                    break;
                case "blocks" when parts.Length == 3:
                    var block = Parse(key, value, IpamStateJsonContext.Default.BlockDocument, source);
                    if (BlockKey(block.Network, block.Cidr) != key)
                    {
                        throw new IpamStateException($"{source}: record '{key}' holds block {block.Cidr} of network '{block.Network}'; its key names another");
                    }

                    blocks.Add(block);
                    break;
                default:
                    throw new IpamStateException($"{source}: record '{key}' is of no kind this romana-aws knows (topology, zones/, subnets/, hosts/, blocks/)");
            }
        }

        var networkNames = topology.Topology.Networks.Select(n => n.Name).ToList();
        var unknown = zones.Keys.Concat(subnets.Keys.Select(k => k.Network)).Concat(blocks.Select(b => b.Network)).FirstOrDefault(n => !networkNames.Contains(n));
        if (unknown is not null)
        {
            throw new IpamStateException($"{source}: records name network '{unknown}', which the stored topology does not have (networks: {string.Join(", ", networkNames)})");
        }

        var networks = networkNames.Select(n => new NetworkStateDocument(n, (zones.GetValueOrDefault(n) ?? []).OrderBy(z => z.Index)
            .Select(z => z.Zone with { Subnets = (subnets.GetValueOrDefault((n, z.Zone.Name)) ?? []).OrderBy(s => s.Slot).ToList() }).ToList())).ToList();
        var orphan = subnets.Keys.FirstOrDefault(k => !(zones.GetValueOrDefault(k.Network)?.Exists(z => z.Zone.Name == k.Zone) ?? false));
        if (orphan != default)
        {
            throw new IpamStateException($"{source}: records 'subnets/{orphan.Network}/{orphan.Zone}/…' have no zone record 'zones/{orphan.Network}/{orphan.Zone}'");
        }

        var order = topology.Topology.Networks.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        return new IpamStateDocument
        {
            SchemaVersion = topology.SchemaVersion,
            Revision = revision,
            Topology = topology.Topology,
            Networks = networks,
            Hosts = hosts.OrderBy(h => h.Seq).ThenBy(h => h.Host.InstanceId, StringComparer.Ordinal).Select(h => h.Host).ToList(),
            Blocks = blocks.OrderBy(b => order[b.Network]).ThenBy(b => b.Cidr).ToList(),
        };
    }

    public static string WriteInflight(InflightValue value) => Json(value, IpamStateJsonContext.Default.InflightValue);

    public static InflightValue ReadInflight(string text, string source) => Parse(InflightKey, text, IpamStateJsonContext.Default.InflightValue, source);

    public static string HostKey(string instanceId) => $"hosts/{instanceId}";

    public static string BlockKey(string network, Cidr cidr) => $"blocks/{network}/{cidr.ToString().Replace('/', '_')}";

    internal static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    internal static T Parse<T>(string key, string value, JsonTypeInfo<T> type, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(value, type) ?? throw new IpamStateException($"{source}: record '{key}' is null");
        }
        catch (JsonException ex)
        {
            throw new IpamStateException($"{source}: record '{key}' is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
