using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Net;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// What one reconcile pass leaves behind for the Node conditions: each host's group destinations, the managed tables,
/// which (table, destination) routes are in place as desired, and the destinations a write failed for this pass.
/// </summary>
public sealed record RouteFacts(
    IReadOnlyDictionary<string, IReadOnlyList<Cidr>> DestinationsByHost,
    IReadOnlyList<string> Tables,
    IReadOnlySet<(string Table, Cidr Destination)> InSync,
    IReadOnlySet<Cidr> Failed)
{
    public static RouteFacts From(ReconcileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var byHost = result.Ipam.Routes
            .SelectMany(r => r.Hosts.Select(h => (Host: h, r.Destination)))
            .GroupBy(x => x.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Cidr>)g.Select(x => x.Destination).Distinct().ToList(), StringComparer.Ordinal);
        var inSync = result.Tables
            .SelectMany(t => t.Routes.Where(r => r.InSync && Cidr.TryParse(r.Destination, out _)).Select(r => (t.RouteTableId, Cidr.Parse(r.Destination))))
            .ToHashSet();
        return new RouteFacts(byHost, result.Tables.Select(t => t.RouteTableId).ToList(), inSync, result.RouteFailures.Select(f => f.Destination).ToHashSet());
    }
}
