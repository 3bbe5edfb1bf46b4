using RomanaAws.Lab.Router;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Build;

/// <summary>
/// The "VPC router" namespace: a bridge per subnet holding the subnet's .1, a port per instance, a kernel table per
/// route table selected by <c>ip rule iif</c>. <see cref="Follow"/> keeps it equal to the simulator's snapshot.
/// </summary>
public sealed class RouterNamespace
{
    private RouterState? _applied;

    public static RouterNamespace Create(RouterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Shell.Run("ip", "netns", "add", LabNames.RouterNamespace);
        var lines = new List<string> { "link set lo up" };
        foreach (var (subnet, index) in state.Subnets.Select((s, i) => (s, i)))
        {
            // A fixed address: a bridge whose address was never set takes the lowest of its ports' addresses, so a node
            // joining with a lower (random) veth address changes the gateway's MAC under every node's ARP entry and the
            // subnet loses its replies for seconds (the growth scenario's "one run in six").
            lines.Add($"link add {subnet.Bridge} address {BridgeAddress(index)} type bridge");
            lines.Add($"link set {subnet.Bridge} up");
            lines.Add($"address add {subnet.RouterAddress}/{subnet.PrefixLength} dev {subnet.Bridge}");
        }

        foreach (var table in state.Tables)
        {
            lines.AddRange(table.Bridges.Select(b => $"rule add iif {b} lookup {table.Number}"));
        }

        Shell.IpBatch(LabNames.RouterNamespace, lines);
        Shell.Run("ip", "netns", "exec", LabNames.RouterNamespace, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        return new RouterNamespace();
    }

    /// <summary>The bridge of subnet <paramref name="index"/>'s MAC address: locally administered, unicast, one per subnet.</summary>
    public static string BridgeAddress(int index) => $"02:72:6f:00:{index / 256 % 256:x2}:{index % 256:x2}";

    /// <summary>The router namespace another process created (the follower runs beside the simulator, on the master node).</summary>
    public static RouterNamespace Attach() => new();

    /// <summary>Applies a snapshot: changed tables, and instance ports up or down (a stopped instance is off the wire). Returns the route lines and port lines applied.</summary>
    public (int Routes, int Ports) Follow(VpcDataplane dataplane)
    {
        var state = RouterPlan.For(dataplane);
        var lines = RouterPlan.TableCommands(state, _applied).ToList();
        var routes = lines.Count;
        foreach (var (instance, onWire) in state.OnWire)
        {
            if (_applied is null || !_applied.OnWire.TryGetValue(instance, out var was) || was != onWire)
            {
                lines.Add($"link set {LabNames.Port(instance)} {(onWire ? "up" : "down")}");
            }
        }

        // Ports of instances the lab has not wired (yet: a node being added) do not exist: skip their lines, and decide
        // their state again on the next snapshot, so a port made later still comes up.
        var ports = Shell.Run("ip", "-n", LabNames.RouterNamespace, "-o", "link", "show");
        var unwired = state.OnWire.Keys.Where(i => !ports.Contains(" " + LabNames.Port(i) + "@", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        lines = lines.Where(l => !l.StartsWith("link set p", StringComparison.Ordinal) || !unwired.Select(LabNames.Port).Contains(l.Split(' ')[2])).ToList();
        Shell.IpBatch(LabNames.RouterNamespace, lines);
        _applied = state.Without(unwired);
        return (routes, lines.Count - routes);
    }
}
