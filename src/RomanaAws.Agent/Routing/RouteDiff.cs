using RomanaAws.Core.Agents;

namespace RomanaAws.Agent.Routing;

/// <summary>What to change in the kernel: add, replace, delete exactly what differs. Never flush and rebuild.</summary>
public sealed record RouteChanges(IReadOnlyList<KernelRoute> Add, IReadOnlyList<KernelRoute> Replace, IReadOnlyList<KernelRoute> Delete)
{
    public bool IsEmpty => Add.Count == 0 && Replace.Count == 0 && Delete.Count == 0;

    public int Count => Add.Count + Replace.Count + Delete.Count;

    /// <summary>An <c>ip -batch</c> script: adds and replaces first, deletes last (traffic never loses a route it still needs).</summary>
    public string ToIpBatch(int protocol) => string.Concat(
        Add.Select(r => r.ToIpCommand("add", protocol) + "\n")
            .Concat(Replace.Select(r => r.ToIpCommand("replace", protocol) + "\n"))
            .Concat(Delete.Select(r => (r.IsUnreachable ? $"route del unreachable {r.Destination} proto {protocol}" : $"route del {r.Destination} proto {protocol}") + "\n")));
}

/// <summary>The routes a node needs, and the diff against the routes it has (its own, marked by protocol number). Pure.</summary>
public static class RouteDiff
{
    /// <summary>Routing protocol number that marks the agent's routes (not assigned in /etc/iproute2/rt_protos), so it only ever changes its own.</summary>
    public const int Protocol = 148;

    public static IReadOnlyList<KernelRoute> Desired(AgentDesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var routes = new Dictionary<Core.Net.Cidr, KernelRoute>();
        foreach (var group in state.Groups)
        {
            routes[group] = new KernelRoute(group, null);
        }

        foreach (var block in state.Blocks)
        {
            routes[block.Cidr] = new KernelRoute(block.Cidr, null);
        }

        foreach (var peer in state.Peers.OrderBy(p => p.InstanceId, StringComparer.Ordinal))
        {
            foreach (var block in peer.Blocks)
            {
                routes[block.Cidr] = new KernelRoute(block.Cidr, peer.Ip);
            }
        }

        return routes.Values.OrderBy(r => r.Destination).ToList();
    }

    public static RouteChanges Diff(IReadOnlyList<KernelRoute> desired, IReadOnlyList<KernelRoute> current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var have = current.GroupBy(r => r.Destination).ToDictionary(g => g.Key, g => g.First());
        var want = desired.ToDictionary(r => r.Destination);
        var add = desired.Where(r => !have.ContainsKey(r.Destination)).ToList();
        var replace = desired.Where(r => have.TryGetValue(r.Destination, out var h) && h != r).ToList();
        var delete = current.Where(r => !want.ContainsKey(r.Destination)).OrderBy(r => r.Destination).ToList();
        return new RouteChanges(add, replace, delete);
    }
}
