using System.Net;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Router;

/// <summary>
/// Turns the simulator's data plane into the VPC router's kernel routing. Pure. Each subnet is a bridge (<c>s0</c>,
/// <c>s1</c>, … by subnet id) on which the router holds the subnet's .1; each route table is a kernel table (100, 101, …
/// by table id) chosen by the bridge a packet comes in on (<c>ip rule iif</c>); in every table each VPC subnet is
/// connected (EC2's <c>local</c> route), an active instance/ENI route goes <c>via</c> the target's private address, a
/// blackhole route is a kernel blackhole, and gateways the lab lacks are unreachable. An instance is on the wire while
/// it runs (a stopped instance's port is down, as a stopped EC2 instance is off the network).
/// </summary>
public static class RouterPlan
{
    public const int FirstTable = 100;

    public static RouterState For(VpcDataplane dataplane)
    {
        ArgumentNullException.ThrowIfNull(dataplane);
        var subnets = dataplane.Subnets.OrderBy(s => s.Id, StringComparer.Ordinal).Select((s, i) =>
        {
            var network = IPNetwork.Parse(s.Cidr);
            var bytes = network.BaseAddress.GetAddressBytes();
            bytes[3] += 1;
            return new RouterSubnet(s.Id, s.Zone, s.Cidr, $"s{i}", new IPAddress(bytes).ToString(), network.PrefixLength);
        }).ToList();
        var connected = subnets.Select(s => new RouterRoute(s.Cidr, KernelRouteKind.Connected, s.Bridge, null)).ToList();
        var tables = dataplane.Tables.OrderBy(t => t.Id, StringComparer.Ordinal).Select((t, i) => new RouterTable(
            t.Id,
            FirstTable + i,
            dataplane.Subnets.Where(s => s.RouteTableId == t.Id).Select(s => subnets.First(r => r.SubnetId == s.Id).Bridge).Order(StringComparer.Ordinal).ToList(),
            connected.Concat(t.Routes.Where(r => r.Kind != "local").Select(ToKernel)).ToList())).ToList();
        var onWire = dataplane.Instances.ToDictionary(i => i.Id, i => i.State == "running", StringComparer.Ordinal);
        return new RouterState(subnets, tables, onWire);
    }

    private static RouterRoute ToKernel(DataplaneRoute route) => route.Kind switch
    {
        "instance" when route.NextHop is not null => new RouterRoute(route.Destination, KernelRouteKind.Via, null, route.NextHop),
        "blackhole" or "instance" => new RouterRoute(route.Destination, KernelRouteKind.Blackhole, null, null),
        _ => new RouterRoute(route.Destination, KernelRouteKind.Unreachable, null, null),
    };

    /// <summary>The <c>ip -batch</c> lines that make the router's tables exactly <paramref name="state"/>'s (flush and refill each changed table).</summary>
    public static IReadOnlyList<string> TableCommands(RouterState state, RouterState? applied)
    {
        ArgumentNullException.ThrowIfNull(state);
        var lines = new List<string>();
        foreach (var table in state.Tables)
        {
            var before = applied?.Tables.FirstOrDefault(t => t.Number == table.Number);
            if (before is not null && before.Routes.SequenceEqual(table.Routes))
            {
                continue;
            }

            var gone = before?.Routes.Select(r => r.Destination).Except(table.Routes.Select(r => r.Destination)) ?? [];
            lines.AddRange(gone.Select(d => $"route del {d} table {table.Number}"));
            lines.AddRange(table.Routes.Select(r => r.Kind switch
            {
                KernelRouteKind.Connected => $"route replace {r.Destination} dev {r.Device} table {table.Number}",
                KernelRouteKind.Via => $"route replace {r.Destination} via {r.Via} table {table.Number}",
                KernelRouteKind.Blackhole => $"route replace blackhole {r.Destination} table {table.Number}",
                _ => $"route replace unreachable {r.Destination} table {table.Number}",
            }));
        }

        return lines;
    }
}
