using System.Net;
using RomanaAws.VpcSim.Dataplane;

namespace RomanaAws.Lab.Scenarios;

/// <summary>
/// What the lab built, as text (pure): zones with their subnets and nodes (pods per node), and the pod-network routes
/// of every route table as the VPC router's kernel holds them (what packets follow), each with its target node.
/// </summary>
public static class LabSummary
{
    public static IReadOnlyList<string> Lines(VpcDataplane dataplane, IReadOnlyList<DataplaneInstance> nodes, IReadOnlyDictionary<string, int> podsPerNode, IReadOnlyList<(string TableId, int Number)> tables, string kernelRoutes, string podCidrPrefix = "100.")
    {
        ArgumentNullException.ThrowIfNull(dataplane);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(podsPerNode);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(kernelRoutes);
        var lines = new List<string> { "zones:" };
        foreach (var zone in dataplane.Subnets.GroupBy(s => s.Zone).OrderBy(z => z.Key, StringComparer.Ordinal))
        {
            foreach (var subnet in zone.OrderBy(s => s.Id, StringComparer.Ordinal))
            {
                var members = nodes.Where(n => n.SubnetId == subnet.Id).OrderBy(n => IPAddress.Parse(n.PrivateIp).GetAddressBytes()[3] + (IPAddress.Parse(n.PrivateIp).GetAddressBytes()[2] * 256))
                    .Select(n => $"{n.Id} {n.Name ?? "-"} {n.PrivateIp}{(podsPerNode.TryGetValue(n.Id, out var pods) && pods > 0 ? $" ({pods} pod(s))" : "")}").ToList();
                lines.Add($"  {zone.Key} {subnet.Id} {subnet.Cidr}: {(members.Count == 0 ? "no nodes" : string.Join(", ", members))}");
            }
        }

        var byIp = nodes.ToDictionary(n => n.PrivateIp, StringComparer.Ordinal);
        var zoneOf = dataplane.Subnets.ToDictionary(s => s.Id, s => s.Zone, StringComparer.Ordinal);
        lines.Add("routes (pod networks, as the VPC router's kernel holds them):");
        var routes = Router.KernelRoute.Parse(kernelRoutes).Where(r => r.Via is not null && r.Destination.StartsWith(podCidrPrefix, StringComparison.Ordinal)).ToList();
        foreach (var (tableId, number) in tables)
        {
            var mine = routes.Where(r => r.Table == number.ToString(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(r => r.Destination, StringComparer.Ordinal)
                .Select(r => r.Via is { } via && byIp.TryGetValue(via, out var n) ? $"{r.Destination} → {n.Id} ({n.PrivateIp}, {zoneOf.GetValueOrDefault(n.SubnetId, "?")})" : $"{r.Destination} via {r.Via}").ToList();
            if (mine.Count > 0)
            {
                lines.Add($"  {tableId} (table {number}): {string.Join(", ", mine)}");
            }
        }

        return lines;
    }
}
