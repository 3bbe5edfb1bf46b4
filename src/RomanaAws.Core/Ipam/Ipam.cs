using System.Net;
using System.Text.RegularExpressions;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// The topology-aware IPAM: places hosts in groups (zone → subnet slot → group), hands out blocks per
/// (host, owner) and addresses per pod key. Pure and single-threaded: callers serialise access.
/// Deterministic: the same topology and the same sequence of calls give the same state.
/// </summary>
public sealed partial class Ipam
{
    private readonly NetworkAllocation[] _networks;
    private readonly Dictionary<string, HostRecord> _hosts = new(StringComparer.Ordinal);
    private readonly HostSet _hostOrder = new();
    private readonly Dictionary<System.Net.IPAddress, HostRecord> _hostIps = [];
    private readonly Dictionary<string, PodSlot> _pods = new(StringComparer.Ordinal);

    private Ipam(TopologyConfig topology)
    {
        Topology = topology;
        _networks = topology.Networks.Select((_, i) => new NetworkAllocation(topology, i)).ToArray();
    }

    public TopologyConfig Topology { get; }

    public int HostCount => _hosts.Count;

    public int PodCount => _pods.Count;

    /// <summary>A fresh IPAM for a validated topology, with every configured zone's aggregate carved.</summary>
    public static Ipam Create(TopologyConfig topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var errors = TopologyValidator.Validate(topology);
        if (errors.Count > 0)
        {
            throw new ConfigException("topology", errors);
        }

        var ipam = new Ipam(topology);
        ipam.CarveConfiguredZones();
        return ipam;
    }

    /// <summary>Carves aggregates for configured zones that have none yet: largest share first, then in listed order.</summary>
    private void CarveConfiguredZones()
    {
        if (Topology.Zones is null)
        {
            return;
        }

        foreach (var network in _networks)
        {
            var missing = Topology.Zones
                .Select((z, i) => (Zone: z, Order: i, Prefix: TopologyLayout.ZonePrefix(Topology, network.Config, z.Weight)))
                .Where(z => network.Find(z.Zone.Name) is null)
                .OrderBy(z => z.Prefix).ThenBy(z => z.Order);
            foreach (var (zone, _, _) in missing)
            {
                network.AddZone(zone.Name);
            }
        }
    }

    /// <summary>
    /// Registers a host in the least-loaded group of its subnet, in every network. Idempotent for the same spec;
    /// a host never moves group while registered.
    /// </summary>
    public HostPlacement AddHost(HostSpec host)
    {
        ValidateHost(host);
        if (_hosts.TryGetValue(host.InstanceId, out var existing))
        {
            return existing.Spec == host
                ? Placement(existing)
                : throw new IpamException($"host {host.InstanceId} is already registered as {existing.Spec}; remove it before registering it as {host}");
        }

        if (_hostIps.TryGetValue(host.PrimaryIp, out var sameIp))
        {
            throw new IpamException($"host {host.InstanceId} has IP {host.PrimaryIp}, which host {sameIp.InstanceId} still holds; remove {sameIp.InstanceId} first (a new instance may reuse a terminated one's IP)");
        }

        if (SubnetInOtherZone(host) is { } bound)
        {
            var holder = bound.Groups.SelectMany(g => g.Hosts).Select(h => $" (held by host {h.InstanceId})").FirstOrDefault();
            throw new IpamException(
                $"host {host.InstanceId} has zone '{host.Zone}' and subnet {host.SubnetId}, but subnet {host.SubnetId} is already in zone '{bound.Zone.Name}'{holder}; " +
                "a VPC subnet lies in exactly one Availability Zone: give the host its instance's real zone and subnet");
        }

        var record = new HostRecord(host, _networks.Length);
        var placed = new List<GroupAllocation>();
        var carved = new List<ZoneAllocation>();
        try
        {
            foreach (var network in _networks)
            {
                var zone = network.Find(host.Zone);
                if (zone is null)
                {
                    zone = AddDiscoveredZone(network, host.Zone);
                    carved.Add(zone);
                }

                var group = zone.Bind(host.SubnetId).LeastLoadedGroup();
                group.Hosts.Add(record);
                record.Groups[network.Index] = group;
                placed.Add(group);
            }
        }
        catch (IpamException)
        {
            foreach (var group in placed)
            {
                Unplace(record, group);
            }

            foreach (var zone in carved)
            {
                zone.Network.Zones.Remove(zone);
            }

            throw;
        }

        Register(record);
        return Placement(record);
    }

    /// <summary>The subnet slot bound to the host's subnet id in a zone other than the host's, if any.</summary>
    private SubnetAllocation? SubnetInOtherZone(HostSpec host)
    {
        foreach (var network in _networks)
        {
            foreach (var zone in network.Zones)
            {
                if (zone.Name != host.Zone && zone.Find(host.SubnetId) is { } subnet)
                {
                    return subnet;
                }
            }
        }

        return null;
    }

    private ZoneAllocation AddDiscoveredZone(NetworkAllocation network, string zone)
    {
        if (Topology.Zones is not null)
        {
            throw new IpamException($"zone '{zone}' is not in the topology (zones: {string.Join(", ", Topology.Zones.Select(z => z.Name))}); add it under zones and apply the topology");
        }

        if (network.Zones.Count >= Topology.MaxZones)
        {
            throw new IpamException($"zone '{zone}' would be zone number {network.Zones.Count + 1} in network '{network.Config.Name}' but maxZones is {Topology.MaxZones}; list the zones explicitly or raise maxZones for a new cluster");
        }

        return network.AddZone(zone);
    }

    /// <summary>Removes a host and frees every block and address it held. Returns the number of pods released.</summary>
    public int RemoveHost(string instanceId)
    {
        if (!_hosts.Remove(instanceId, out var record))
        {
            throw new IpamException($"host {instanceId} is not registered");
        }

        _hostOrder.Remove(record);
        _hostIps.Remove(record.Spec.PrimaryIp);
        var released = 0;
        foreach (var block in record.AllBlocks.ToList())
        {
            var pods = block.Pods;
            for (var i = 0; i < pods.Length; i++)
            {
                if (pods[i] is { } key)
                {
                    _pods.Remove(key);
                    released++;
                }
            }

            block.Group.Return(block.Index);
        }

        record.Blocks.Clear();
        foreach (var group in record.Groups.OfType<GroupAllocation>())
        {
            Unplace(record, group);
        }

        return released;
    }

    /// <summary>Adds a host to every index (by id, in arrival order, by IP).</summary>
    private void Register(HostRecord record)
    {
        _hosts.Add(record.InstanceId, record);
        _hostOrder.Add(record);
        _hostIps.Add(record.Spec.PrimaryIp, record);
    }

    private static void Unplace(HostRecord record, GroupAllocation group)
    {
        group.Hosts.Remove(record);
        var subnet = group.Subnet;
        if (subnet.IsEmpty && subnet.Groups.All(g => g.AllocatedBlocks == 0))
        {
            subnet.Zone.Slots[subnet.Slot] = null;
        }
    }

    public bool HasHost(string instanceId) => _hosts.ContainsKey(instanceId);

    public IReadOnlyList<HostSpec> Hosts => _hostOrder.Select(h => h.Spec).ToList();

    public HostPlacement? FindHost(string instanceId) => _hosts.TryGetValue(instanceId, out var record) ? Placement(record) : null;

    private static HostPlacement Placement(HostRecord record) =>
        new(record.Spec, record.Groups.Select(g => new GroupRef(g!.Subnet.Zone.Network.Config.Name, g.Subnet.Zone.Name, g.Subnet.SubnetId, g.Index, g.Cidr)).ToList());

    private static void ValidateHost(HostSpec host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var problems = new List<string>();
        if (!IsHostId(host.InstanceId))
        {
            problems.Add($"instance id '{host.InstanceId}' must look like i-0123456789abcdef0 (i- and 8 or 17 hex digits), or be a Kubernetes node name outside EC2 (routing mode bgp)");
        }

        if (string.IsNullOrWhiteSpace(host.Zone))
        {
            problems.Add("zone is empty; give the instance's Availability Zone, such as us-east-1a");
        }

        if (!IsSubnetId(host.SubnetId))
        {
            problems.Add($"subnet id '{host.SubnetId}' must look like subnet-0123456789abcdef0 (subnet- and 8 or 17 hex digits), or be a rack name outside EC2 (routing mode bgp)");
        }

        if (host.PrimaryIp is null || host.PrimaryIp.Equals(IPAddress.Any) || host.PrimaryIp.Equals(IPAddress.IPv6Any))
        {
            problems.Add($"primary IP '{host.PrimaryIp}' must be the instance's private address");
        }

        if (problems.Count > 0)
        {
            throw new IpamException($"host {host.InstanceId}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// A host's id: an EC2 instance id, or (routing mode bgp) a Kubernetes node name. A name starting with <c>i-</c> must be
    /// an instance id, so a mistyped one is still caught.
    /// </summary>
    public static bool IsHostId(string? id) =>
        id is not null && (id.StartsWith("i-", StringComparison.Ordinal) ? InstanceIdPattern().IsMatch(id) : NodeNamePattern().IsMatch(id));

    /// <summary>A subnet's id: an EC2 subnet id, or (routing mode bgp) a rack name; one starting with <c>subnet-</c> must be an EC2 id.</summary>
    public static bool IsSubnetId(string? id) =>
        id is not null && (id.StartsWith("subnet-", StringComparison.Ordinal) ? SubnetIdPattern().IsMatch(id) : RackNamePattern().IsMatch(id));

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NodeNamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex RackNamePattern();

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex InstanceIdPattern();

    [GeneratedRegex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex SubnetIdPattern();
}
