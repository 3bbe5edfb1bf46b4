namespace RomanaAws.Core.Routing;

/// <summary>
/// What one node's agent says about its BIRD (from its /healthz): whether it answered, its sessions (BGP) or
/// adjacencies (OSPF), and the prefixes BIRD exports. Input to <see cref="AdvertisedRoutes"/> and <see cref="AdvertisedPreflight"/>.
/// </summary>
/// <param name="Error">Why the agent could not be asked (null when it answered).</param>
public sealed record HostAdvertising(string Host, string Ip, string? Error, IReadOnlyList<RouterLink> Links, IReadOnlyList<string> Exported)
{
    public static HostAdvertising Unreachable(string host, string ip, string error) => new(host, ip, error, [], []);
}

/// <summary>A BGP session or OSPF adjacency of a node: the router, its state as BIRD says it, and whether routes flow.</summary>
public sealed record RouterLink(string Neighbor, string State, bool Up);
