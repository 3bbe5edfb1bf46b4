namespace RomanaAws.Lab.Router;

/// <summary>
/// One line of <c>ip route show table all</c> in the VPC router, read back (pure): destination, kind word or next hop,
/// kernel table. <see cref="Via"/> is the next hop of a <c>via</c> route, else null.
/// </summary>
public sealed record KernelRoute(string Destination, string? Via, string Kind, string Table)
{
    /// <summary>The routes of a dump that carry a table (every lab table does), in the dump's order.</summary>
    public static IReadOnlyList<KernelRoute> Parse(string dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        string[] types = ["blackhole", "unreachable", "prohibit", "local", "broadcast"];
        return [.. dump.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => Array.IndexOf(w, "table") is var t && t > 0 && t + 1 < w.Length)
            .Select(w =>
            {
                var table = w[Array.IndexOf(w, "table") + 1];
                return types.Contains(w[0]) ? new KernelRoute(w[1], null, w[0], table) : new KernelRoute(w[0], w[1] == "via" ? w[2] : null, w[1], table);
            })];
    }
}
