using System.Globalization;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Ipam;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// Route failures of one pass → Warning events on the Nodes they leave without a route: every Node of the group whose
/// route failed gets one event per reason (<c>FailedToCreateRoute</c>, <c>RouteLimitExceeded</c>) naming the first failure
/// and how many more. Pure.
/// </summary>
public static class RouteEvents
{
    public static IReadOnlyList<NodeEvent> For(IReadOnlyList<RouteFailure> failures, IReadOnlyList<RouteDestination> routes, NodeFacts nodes)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(nodes);
        var hosts = routes.GroupBy(r => r.Destination).ToDictionary(g => g.Key, g => g.SelectMany(r => r.Hosts).ToList());
        var events = new List<NodeEvent>();
        var perNode = failures
            .SelectMany(f => hosts.GetValueOrDefault(f.Destination, []).Select(h => (Host: h, Failure: f)))
            .Where(x => nodes.ByInstance.ContainsKey(x.Host))
            .GroupBy(x => (x.Host, x.Failure.Kind));
        foreach (var group in perNode.OrderBy(g => nodes.ByInstance[g.Key.Host].Node.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Kind))
        {
            var node = nodes.ByInstance[group.Key.Host].Node;
            var list = group.Select(x => x.Failure).ToList();
            var more = list.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {list.Count - 1} more)") : string.Empty;
            events.Add(new NodeEvent(node.Name, node.Uid, group.Key.Kind.ToString(), $"RomanaAws: route of the node's group: {list[0].Message}{more}"));
        }

        return events;
    }
}
