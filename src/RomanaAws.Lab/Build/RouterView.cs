using System.Net;
using RomanaAws.Lab.Router;

namespace RomanaAws.Lab.Build;

/// <summary>The VPC router namespace's kernel routes, read back: what packets follow (the pod-network routes RomanaAws owns).</summary>
public static class RouterView
{
    public const string PodCidrPrefix = "100.";

    /// <summary>The dump of every table of the router namespace.</summary>
    public static string Dump() => Shell.Run("ip", "-n", LabNames.RouterNamespace, "route", "show", "table", "all");

    /// <summary>The pod-network routes with a next hop, from a dump.</summary>
    public static IReadOnlyList<KernelRoute> PodRoutes(string dump) =>
        [.. KernelRoute.Parse(dump).Where(r => r.Via is not null && r.Destination.StartsWith(PodCidrPrefix, StringComparison.Ordinal))];

    /// <summary>The routes RomanaAws owns in the VPC, as "table destination".</summary>
    public static IReadOnlySet<string> VpcRoutes() => PodRoutes(Dump()).Select(r => $"{r.Table} {r.Destination}").ToHashSet(StringComparer.Ordinal);

    /// <summary>The same with their next hops, "table destination via next-hop" (to see targets move).</summary>
    public static IReadOnlySet<string> VpcRouteTargets() => PodRoutes(Dump()).Select(r => $"{r.Table} {r.Destination} via {r.Via}").ToHashSet(StringComparer.Ordinal);

    /// <summary>The next hop of the route that carries <paramref name="address"/> in a dump (the first table that has one).</summary>
    public static string? RouterOf(string dump, string address)
    {
        var ip = IPAddress.Parse(address);
        return PodRoutes(dump).FirstOrDefault(r => IPNetwork.Parse(r.Destination).Contains(ip))?.Via;
    }
}
