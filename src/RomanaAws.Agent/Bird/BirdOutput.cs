using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Bird;

/// <summary>Reads birdc's answers (BIRD 2, <c>timeformat protocol iso long</c>). Pure.</summary>
public static class BirdOutput
{
    /// <summary>
    /// The BGP sessions of <c>show protocols</c>: rows <c>name proto table state date time info…</c> after the header;
    /// only BGP rows, their neighbor taken from <paramref name="neighbors"/> (protocol name → address).
    /// </summary>
    public static IReadOnlyList<RouterSession> Sessions(string output, IReadOnlyDictionary<string, string> neighbors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(neighbors);
        var sessions = new List<RouterSession>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[1] != "BGP")
            {
                continue;
            }

            // Since is "YYYY-MM-DD hh:mm:ss" (two fields) with iso long; whatever follows is BGP's own state.
            var info = fields.Length > 6 ? string.Join(' ', fields[6..]) : string.Empty;
            sessions.Add(new RouterSession(fields[0], neighbors.TryGetValue(fields[0], out var address) ? address : "?", fields[3], info));
        }

        return sessions;
    }

    /// <summary>
    /// The neighbors of <c>show ospf neighbors</c>: rows <c>router-id priority state dead-time interface address</c>;
    /// each a <see cref="RouterSession"/> of the OSPF protocol whose info is the adjacency state (Full/DR, 2-Way…).
    /// </summary>
    public static IReadOnlyList<RouterSession> OspfNeighbors(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n')
            .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Cidr.TryParseAddress(f[0], out _) && Cidr.TryParseAddress(f[^1], out _))
            .Select(f => new RouterSession(BirdConfig.OspfProtocol, f[^1], "up", f[2]))
            .ToList();
    }

    /// <summary>The prefixes of <c>show route export P</c>: the first field of each route line.</summary>
    public static IReadOnlyList<string> Prefixes(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 1 && f[0].Contains('/', StringComparison.Ordinal) && Cidr.TryParse(f[0], out _))
            .Select(f => f[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether <c>birdc configure</c> took the file (BIRD answers "Reconfigured", or "Reconfiguration in progress" while sessions settle).</summary>
    public static bool Reconfigured(string output) =>
        output.Contains("Reconfigured", StringComparison.Ordinal) || output.Contains("Reconfiguration in progress", StringComparison.Ordinal);
}
