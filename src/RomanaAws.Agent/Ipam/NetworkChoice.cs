namespace RomanaAws.Agent.Ipam;

/// <summary>
/// Which pod network an ADD's address comes from (null: the default), or why the request names none that exists
/// (<paramref name="TryAgain"/> when it may exist once the node has synced).
/// <see cref="Resolve"/> is pure: the known names are the desired state's <c>networks</c>, the first the default.
/// </summary>
public sealed record NetworkChoice(string? Network, string? Problem, bool TryAgain = false)
{
    public const string Annotation = "romana.io/network";

    /// <summary>
    /// <paramref name="requested"/> (a pod's <c>romana.io/network</c>, null when it has none) against the topology's
    /// <paramref name="known"/> networks. The default network's own name is the default (null), so a pod that names
    /// it shares the blocks of pods that name nothing.
    /// </summary>
    public static NetworkChoice Resolve(string? requested, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (string.IsNullOrEmpty(requested) || (known.Count > 0 && requested == known[0]))
        {
            return new NetworkChoice(null, null);
        }

        if (known.Count == 0)
        {
            return new NetworkChoice(null, $"{Annotation} '{requested}': this node does not know the topology's networks yet (no desired state from the controller); try again", TryAgain: true);
        }

        return known.Contains(requested, StringComparer.Ordinal)
            ? new NetworkChoice(requested, null)
            : new NetworkChoice(null, $"{Annotation} '{requested}' is not a network of the topology (networks: {string.Join(", ", known)})");
    }

    /// <summary>The name a block's network is kept under: null for the default network (or none given).</summary>
    public static string? Normalise(string? network, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return string.IsNullOrEmpty(network) || (known.Count > 0 && network == known[0]) ? null : network;
    }
}
