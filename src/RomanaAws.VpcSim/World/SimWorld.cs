using System.Net;
using RomanaAws.VpcSim.Ec2;

namespace RomanaAws.VpcSim.World;

/// <summary>
/// The simulated account and region: one lock guards everything, so parallel API calls see a consistent world,
/// as with AWS's per-table serialisation. Times come from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class SimWorld
{
    private readonly HashSet<string> _setAside = new(StringComparer.Ordinal);
    private long _nextId;

    public SimWorld(TimeProvider time, SimSettings settings)
    {
        Time = time;
        Settings = settings;
    }

    public Lock Sync { get; } = new();

    public TimeProvider Time { get; }

    public SimSettings Settings { get; }

    public Dictionary<string, SimVpc> Vpcs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SimSubnet> Subnets { get; } = new(StringComparer.Ordinal);

    public List<string> Zones { get; } = [];

    public Dictionary<string, SimRouteTable> RouteTables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SimInstance> Instances { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SimNetworkInterface> Interfaces { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>When the world last changed by a write (an EC2 action other than a read, or an admin change); the lab's router measures its mirroring delay from it.</summary>
    public DateTimeOffset? LastWrite { get; private set; }

    /// <summary>Stamps <see cref="LastWrite"/>; called under <see cref="Sync"/>.</summary>
    public void Written() => LastWrite = Now;

    /// <summary>Empties the world (for a reset to the scenario).</summary>
    public void Clear()
    {
        Vpcs.Clear();
        Subnets.Clear();
        Zones.Clear();
        RouteTables.Clear();
        Instances.Clear();
        Interfaces.Clear();
        _nextId = 0;
        _setAside.Clear();
    }

    /// <summary>A new id in AWS's shape: prefix, dash, 17 lowercase hex digits; never one set aside for the scenario.</summary>
    public string NewId(string prefix)
    {
        string id;
        do
        {
            id = $"{prefix}-{Interlocked.Increment(ref _nextId):x17}";
        }
        while (_setAside.Contains(id));

        return id;
    }

    /// <summary>Ids the scenario gives, which generated ids must not repeat.</summary>
    public void SetAside(IEnumerable<string> ids) => _setAside.UnionWith(ids);

    public void Reserve(string id)
    {
        // Keep generated ids clear of ids given in the scenario.
        var dash = id.LastIndexOf('-');
        if (dash > 0 && long.TryParse(id.AsSpan(dash + 1), System.Globalization.NumberStyles.HexNumber, null, out var n) && n > _nextId && n < long.MaxValue / 2)
        {
            _nextId = n;
        }
    }

    public SimInstance Instance(string id)
    {
        if (!Instances.TryGetValue(id, out var instance))
        {
            throw new Ec2Exception("InvalidInstanceID.NotFound", $"The instance ID '{InputEcho.Of(id)}' does not exist");
        }

        instance.Advance(Now);
        return instance;
    }

    public SimRouteTable RouteTable(string id) =>
        RouteTables.TryGetValue(id, out var table)
            ? table
            : throw new Ec2Exception("InvalidRouteTableID.NotFound", $"The routeTable ID '{InputEcho.Of(id)}' does not exist");

    public SimNetworkInterface Interface(string id) =>
        Interfaces.TryGetValue(id, out var eni) && !eni.Deleted
            ? eni
            : throw new Ec2Exception("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{InputEcho.Of(id)}' does not exist");

    /// <summary>Every instance with due transitions applied.</summary>
    public IEnumerable<SimInstance> CurrentInstances()
    {
        var now = Now;
        foreach (var instance in Instances.Values)
        {
            instance.Advance(now);
            yield return instance;
        }
    }

    /// <summary>"active" or "blackhole", as EC2 reports: a route whose target instance is stopped or gone is a blackhole.</summary>
    public string RouteState(SimRoute route)
    {
        if (route.Kind is not (RouteTargetKind.Instance or RouteTargetKind.NetworkInterface))
        {
            return "active";
        }

        if (route.NetworkInterfaceId is null || !Interfaces.TryGetValue(route.NetworkInterfaceId, out var eni) || eni.Deleted)
        {
            return "blackhole";
        }

        if (eni.InstanceId is null)
        {
            return "blackhole";
        }

        var instance = Instance(eni.InstanceId);
        return instance.State is InstanceState.Running or InstanceState.Pending or InstanceState.Stopping ? "active" : "blackhole";
    }

    /// <summary>The instance a route's ENI is attached to, if any.</summary>
    public string? RouteInstanceId(SimRoute route) =>
        route.NetworkInterfaceId is { } eni && Interfaces.TryGetValue(eni, out var nic) && !nic.Deleted ? nic.InstanceId : null;

    /// <summary>Takes a private IP in the subnet: the requested one, or the lowest free.</summary>
    public static IPAddress TakeAddress(SimSubnet subnet, IPAddress? requested)
    {
        if (requested is not null)
        {
            if (!subnet.IsFree(requested))
            {
                throw Ec2Exception.Invalid("privateIpAddress", requested.ToString(), $"Address is in use or outside the usable range of subnet {subnet.Id} ({subnet.Cidr}).");
            }

            subnet.Take(requested);
            return requested;
        }

        var next = subnet.NextFree() ?? throw new Ec2Exception("InsufficientFreeAddressesInSubnet", $"There are not enough free addresses in subnet '{subnet.Id}' to satisfy the requested number of instances.");
        subnet.Take(next);
        return next;
    }
}
