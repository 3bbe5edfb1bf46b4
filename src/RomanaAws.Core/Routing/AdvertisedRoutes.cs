using RomanaAws.Core.Ipam;

namespace RomanaAws.Core.Routing;

/// <summary>One group as routing modes bgp and ospf announce it: its prefix, rack, and each of its hosts' part.</summary>
public sealed record AdvertisedGroup(string Destination, string Network, string Zone, string Rack, int Group, IReadOnlyList<GroupHostExport> Hosts)
{
    /// <summary>Every host of the group exports the prefix to at least one router that is up.</summary>
    public bool InSync => Hosts.All(h => h.Exporting);
}

/// <summary>One host of a group: whether its BIRD exports the group's prefix over a link that is up, and what else it exports.</summary>
public sealed record GroupHostExport(string Host, string Ip, bool Exporting, string Status, IReadOnlyList<string> Exported);

/// <summary>
/// <c>romana-aws routes</c> in routing modes bgp and ospf: per group (one prefix each), the hosts that should advertise
/// it and what each one's BIRD exports, joined from the IPAM plan and the agents' reports. Pure.
/// </summary>
public static class AdvertisedRoutes
{
    public static IReadOnlyList<AdvertisedGroup> Build(IpamPlan plan, IReadOnlyDictionary<string, HostAdvertising> hosts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hosts);
        return plan.Routes.Select(route => new AdvertisedGroup(
            route.Destination.ToString(), route.Network, route.Zone, route.Subnet, route.Group,
            route.Hosts.Select(host => Export(host, route.Destination.ToString(), hosts.GetValueOrDefault(host))).ToList())).ToList();
    }

    private static GroupHostExport Export(string host, string prefix, HostAdvertising? report)
    {
        if (report is null)
        {
            return new GroupHostExport(host, "?", false, "no report", []);
        }

        if (report.Error is { } error)
        {
            return new GroupHostExport(host, report.Ip, false, $"agent unreachable: {error}", []);
        }

        var up = report.Links.Count(l => l.Up);
        var exporting = up > 0 && report.Exported.Contains(prefix, StringComparer.Ordinal);
        var status = exporting ? $"exported ({up} of {report.Links.Count} router link(s) up)"
            : up == 0 ? $"no router link up ({string.Join(", ", report.Links.Select(l => $"{l.Neighbor} {l.State}"))})"
            : "not exported (BIRD's configuration is behind the desired state?)";
        return new GroupHostExport(host, report.Ip, exporting, status, report.Exported);
    }
}
