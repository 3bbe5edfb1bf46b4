using System.Net;
using System.Text.RegularExpressions;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Topology;

/// <summary>
/// Binds and checks the topology file's <c>routing:</c> section into a <see cref="RoutingConfig"/>. Every problem is
/// added to the shared error list with its key path and line, naming the value and what would be valid. Pure.
/// </summary>
public static partial class RoutingReader
{
    internal static readonly string[] Keys =
        ["mode", "asn", "holdSeconds", "gracefulRestart", "restartSeconds", "helloSeconds", "deadSeconds", "bfd", "advertiseBlocks", "importRoutes", "bfdIntervalMs", "bfdMultiplier", "racks", "hosts"];

    /// <summary>Keys that mean something in one advertised mode only.</summary>
    private static readonly string[] BgpOnly = ["asn", "holdSeconds", "gracefulRestart", "restartSeconds"];

    private static readonly string[] OspfOnly = ["helloSeconds", "deadSeconds", "bfd"];

    internal static readonly string[] RackKeys = ["name", "cidr", "zone", "peers", "area"];

    internal static readonly string[] PeerKeys = ["address", "asn", "passwordFile", "bfd"];

    internal static readonly string[] HostKeys = ["name", "ip"];

    private const long MaxAsn = uint.MaxValue;

    /// <summary>AS_TRANS (RFC 6793): stands in for a 4-byte AS on old speakers, never a real AS.</summary>
    private const long AsTrans = 23456;

    /// <param name="node">The <c>routing</c> value; null when the file has none (mode vpc).</param>
    /// <param name="zones">The topology's listed zones (null: discovered), for each rack's zone.</param>
    public static RoutingConfig Bind(ConfigNode? node, List<ConfigError> errors, IReadOnlyList<ZoneConfig>? zones, int subnetsPerZone)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (node is null or ConfigScalar { IsNull: true })
        {
            return RoutingConfig.Vpc;
        }

        var reader = MappingReader.Open(node, errors, Keys);
        if (reader is null)
        {
            return RoutingConfig.Vpc;
        }

        var modeText = reader.Text("mode", required: false) ?? "vpc";
        RoutingMode mode;
        switch (modeText)
        {
            case "vpc":
                mode = RoutingMode.Vpc;
                break;
            case "bgp":
                mode = RoutingMode.Bgp;
                break;
            case "ospf":
                mode = RoutingMode.Ospf;
                break;
            default:
                reader.Error("mode", "must be vpc (VPC route tables), bgp (every node advertises its group to its rack's routers) or ospf (every node announces its group into OSPF)");
                return RoutingConfig.Vpc;
        }

        if (mode == RoutingMode.Vpc)
        {
            foreach (var key in Keys.Where(k => k != "mode" && reader.Node(k) is not null))
            {
                reader.Error(key, "applies only with mode: bgp or ospf; in vpc mode the controller writes VPC routes and subnets are the VPC's");
            }

            return RoutingConfig.Vpc;
        }

        foreach (var key in (mode == RoutingMode.Bgp ? OspfOnly : BgpOnly).Where(k => reader.Node(k) is not null))
        {
            reader.Error(key, mode == RoutingMode.Bgp
                ? "applies only with mode: ospf (with bgp, BFD is set per peer: racks[].peers[].bfd)"
                : "applies only with mode: bgp");
        }

        if (mode == RoutingMode.Bgp && reader.Node("asn") is null)
        {
            reader.Error("asn", "is required with mode: bgp: the nodes' AS number, such as 64512 (private ASNs: 64512–65534, 4200000000–4294967294)");
        }

        var config = new RoutingConfig
        {
            Mode = mode,
            Asn = mode == RoutingMode.Bgp ? Asn(reader, "asn") : 0,
            HoldSeconds = reader.Number("holdSeconds", RoutingConfig.DefaultHoldSeconds, 3, 65535),
            GracefulRestart = reader.Flag("gracefulRestart", false),
            RestartSeconds = reader.Number("restartSeconds", RoutingConfig.DefaultRestartSeconds, 1, 4095),
            AdvertiseBlocks = reader.Flag("advertiseBlocks", false),
            ImportRoutes = reader.Flag("importRoutes", false),
            BfdIntervalMs = reader.Number("bfdIntervalMs", RoutingConfig.DefaultBfdIntervalMs, 10, 10000),
            BfdMultiplier = reader.Number("bfdMultiplier", RoutingConfig.DefaultBfdMultiplier, 1, 255),
            HelloSeconds = reader.Number("helloSeconds", RoutingConfig.DefaultHelloSeconds, 1, 65535),
            DeadSeconds = reader.Number("deadSeconds", RoutingConfig.DefaultDeadSeconds, 2, 65535),
            Bfd = reader.Flag("bfd", false),
        };

        if (config.DeadSeconds <= config.HelloSeconds)
        {
            reader.Error("deadSeconds", $"must be more than helloSeconds ({config.HelloSeconds}); four hellos is usual");
        }

        var racks = BindRacks(reader, errors, zones, subnetsPerZone, mode);
        var hosts = BindHosts(reader, errors, racks);
        return config with { Racks = racks, Hosts = hosts };
    }

    private static long Asn(MappingReader reader, string key)
    {
        var asn = reader.LongNumber(key, 0, 1, MaxAsn);
        if (asn == AsTrans)
        {
            reader.Error(key, "23456 is AS_TRANS (RFC 6793), which stands in for 4-byte AS numbers; use the real AS number");
        }

        return asn;
    }

    private static List<RackConfig> BindRacks(MappingReader reader, List<ConfigError> errors, IReadOnlyList<ZoneConfig>? zones, int subnetsPerZone, RoutingMode mode)
    {
        var nodes = reader.List("racks", required: true) ?? [];
        if (nodes.Count == 0 && reader.Node("racks") is not null)
        {
            reader.Error("racks", "needs at least one rack (an L2 segment with its routers)");
        }

        var racks = new List<RackConfig>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in nodes)
        {
            var rack = MappingReader.Open(item, errors, RackKeys);
            if (rack is null)
            {
                continue;
            }

            var name = rack.Text("name", required: true);
            if (name is not null && !RackName().IsMatch(name))
            {
                rack.Error("name", "must be a DNS label: 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit (it is the subnet's id in the IPAM)");
                name = null;
            }
            else if (name is not null && !names.TryAdd(name, rack.Path))
            {
                rack.Error("name", $"is already the name of {names[name]}; each rack has its own name");
            }

            Cidr? cidr = null;
            if (rack.Text("cidr", required: true) is { } cidrText)
            {
                if (Cidr.TryParse(cidrText, out var parsed, out var error))
                {
                    cidr = parsed;
                }
                else
                {
                    rack.Error("cidr", $"{error} (the hosts' network, such as 10.1.0.0/24)");
                }
            }

            var zone = Zone(rack, zones);
            var peers = new List<BgpPeerConfig>();
            if (mode == RoutingMode.Bgp)
            {
                peers = BindPeers(rack, errors, cidr);
                if (rack.Node("area") is not null)
                {
                    rack.Error("area", "applies only with mode: ospf");
                }
            }
            else if (rack.Node("peers") is not null)
            {
                rack.Error("peers", "applies only with mode: bgp; with ospf the rack's routers are found on the segment by their hellos");
            }

            var area = Area(rack, racks.Count + 1);
            if (name is not null && cidr is { } c && zone is not null)
            {
                var overlap = racks.FirstOrDefault(r => r.Cidr.Overlaps(c));
                if (overlap is not null)
                {
                    rack.Error("cidr", $"overlaps rack '{overlap.Name}' ({overlap.Cidr}); each host address must name exactly one rack");
                }

                racks.Add(new RackConfig { Name = name, Cidr = c, Zone = zone, Peers = peers, Area = area });
            }
        }

        foreach (var crowded in racks.GroupBy(r => r.Zone, StringComparer.Ordinal).Where(g => g.Count() > subnetsPerZone))
        {
            reader.Error("racks", $"zone '{crowded.Key}' has {crowded.Count()} racks but subnetsPerZone is {subnetsPerZone}: each rack takes one subnet slot; " +
                $"raise subnetsPerZone to {NextPowerOfTwo(crowded.Count())} or spread the racks over more zones");
        }

        return racks;
    }

    /// <summary>An OSPF area id: a dotted quad or a number (as OSPF writes either); default 0.0.0.N for the Nth rack.</summary>
    private static string Area(MappingReader rack, int position)
    {
        var fallback = new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)position))).ToString();
        var text = rack.Text("area", required: false);
        if (text is null)
        {
            return fallback;
        }

        if (uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(number))).ToString();
        }

        if (AreaQuad().IsMatch(text) && IPAddress.TryParse(text, out var quad))
        {
            return quad.ToString();
        }

        rack.Error("area", "must be an OSPF area id: a dotted quad such as 0.0.0.1, or a number from 0 to 4294967295 (0 is the backbone)");
        return fallback;
    }

    private static string? Zone(MappingReader rack, IReadOnlyList<ZoneConfig>? zones)
    {
        var zone = rack.Text("zone", required: false);
        if (zone is null)
        {
            if (zones is { Count: > 0 })
            {
                return zones[0].Name;
            }

            rack.Error("zone", "is required when the topology lists no zones: the zone (site or room) the rack is carved from");
            return null;
        }

        if (zones is not null && zones.All(z => z.Name != zone))
        {
            rack.Error("zone", $"is not one of the topology's zones ({string.Join(", ", zones.Select(z => z.Name))})");
            return null;
        }

        return zone;
    }

    private static List<BgpPeerConfig> BindPeers(MappingReader rack, List<ConfigError> errors, Cidr? cidr)
    {
        var nodes = rack.List("peers", required: true) ?? [];
        if (nodes.Count == 0 && rack.Node("peers") is not null)
        {
            rack.Error("peers", "needs at least one router for the rack's hosts to peer with");
        }

        var peers = new List<BgpPeerConfig>();
        foreach (var item in nodes)
        {
            var peer = MappingReader.Open(item, errors, PeerKeys);
            if (peer is null)
            {
                continue;
            }

            IPAddress? address = null;
            if (peer.Text("address", required: true) is { } text)
            {
                if (!Cidr.TryParseAddress(text, out address))
                {
                    peer.Error("address", "must be the router's IPv4 or IPv6 address, such as 10.1.0.1");
                }
                else if (cidr is { } c && !c.Contains(address))
                {
                    peer.Error("address", $"is outside the rack's cidr {c}: a rack's routers are directly connected to its hosts");
                    address = null;
                }
                else if (peers.Any(p => p.Address.Equals(address)))
                {
                    peer.Error("address", "is listed twice in this rack");
                    address = null;
                }
            }

            if (peer.Node("asn") is null)
            {
                peer.Error("asn", "is required: the router's AS number");
            }

            var asn = Asn(peer, "asn");
            var passwordFile = peer.Text("passwordFile", required: false);
            if (passwordFile is not null && !Path.IsPathFullyQualified(passwordFile))
            {
                peer.Error("passwordFile", "must be an absolute path on the node (the file holds the TCP MD5 password, RFC 2385)");
                passwordFile = null;
            }

            var bfd = peer.Flag("bfd", false);
            if (address is not null && asn > 0)
            {
                peers.Add(new BgpPeerConfig(address, asn, passwordFile, bfd));
            }
        }

        return peers;
    }

    private static List<RackHostConfig> BindHosts(MappingReader reader, List<ConfigError> errors, List<RackConfig> racks)
    {
        var hosts = new List<RackHostConfig>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var ips = new Dictionary<IPAddress, string>();
        foreach (var item in reader.List("hosts", required: false) ?? [])
        {
            var host = MappingReader.Open(item, errors, HostKeys);
            if (host is null)
            {
                continue;
            }

            var name = host.Text("name", required: true);
            if (name is not null && !NodeName().IsMatch(name))
            {
                host.Error("name", "must be the Kubernetes node name: a DNS subdomain of lowercase letters, digits, '-' and '.', up to 253 characters");
                name = null;
            }
            else if (name is not null && !names.TryAdd(name, host.Path))
            {
                host.Error("name", $"is already listed at {names[name]}");
                name = null;
            }

            IPAddress? ip = null;
            if (host.Text("ip", required: true) is { } text)
            {
                if (!Cidr.TryParseAddress(text, out ip))
                {
                    host.Error("ip", "must be the host's address, such as 10.1.0.11");
                }
                else if (racks.Count > 0 && !racks.Any(r => r.Cidr.Contains(ip)))
                {
                    host.Error("ip", $"is in no rack's cidr ({string.Join(", ", racks.Select(r => $"{r.Name} {r.Cidr}"))})");
                    ip = null;
                }
                else if (racks.SelectMany(r => r.Peers).Any(p => p.Address.Equals(ip)))
                {
                    host.Error("ip", "is a router's address (racks[].peers[].address)");
                    ip = null;
                }
                else if (!ips.TryAdd(ip, host.Path))
                {
                    host.Error("ip", $"is already the address of {ips[ip]}");
                    ip = null;
                }
            }

            if (name is not null && ip is not null)
            {
                hosts.Add(new RackHostConfig(name, ip));
            }
        }

        return hosts;
    }

    private static int NextPowerOfTwo(int n) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)n);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex RackName();

    [GeneratedRegex("^([0-9]{1,3}\\.){3}[0-9]{1,3}$")]
    private static partial Regex AreaQuad();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NodeName();
}
