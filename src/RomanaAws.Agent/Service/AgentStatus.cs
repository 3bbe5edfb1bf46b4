namespace RomanaAws.Agent.Service;

/// <summary>What the agent's /healthz reports: forwarding, routes, policy, and the age of the last good sync.</summary>
public sealed record AgentStatus(
    bool Forwarding,
    bool RoutesInSync,
    bool PolicyApplied,
    DateTimeOffset? LastSuccess,
    string? LastError,
    int Routes,
    int RouteChanges,
    int PolicyRules)
{
    /// <summary>Where the last good sync spent its time (null before the first).</summary>
    public SyncTimings? LastSync { get; init; }

    /// <summary>Routing mode bgp: BIRD's sessions and exports (null in vpc mode).</summary>
    public Bgp.BgpStatus? Bgp { get; init; }

    public static AgentStatus Initial { get; } = new(false, false, false, null, "no sync yet", 0, 0, 0);

    /// <summary>Healthy: forwarding on, routes in sync, policy applied, a recent good sync, and (bgp mode) at least one router session established.</summary>
    public bool Healthy(DateTimeOffset now, TimeSpan maxAge) =>
        Forwarding && RoutesInSync && PolicyApplied && LastSuccess is { } at && now - at <= maxAge && (Bgp is null || Bgp.EstablishedCount > 0);
}
