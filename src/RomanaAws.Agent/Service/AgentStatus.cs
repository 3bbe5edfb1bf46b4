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

    /// <summary>Routing modes bgp and ospf: BIRD's sessions or neighbors and its exports (null in vpc mode).</summary>
    public Bird.RoutingStatus? Routing { get; init; }

    public static AgentStatus Initial { get; } = new(false, false, false, null, "no sync yet", 0, 0, 0);

    /// <summary>Healthy: forwarding on, routes in sync, policy applied, a recent good sync, and (bgp, ospf) at least one router session or adjacency up.</summary>
    public bool Healthy(DateTimeOffset now, TimeSpan maxAge) =>
        Forwarding && RoutesInSync && PolicyApplied && LastSuccess is { } at && now - at <= maxAge && (Routing is null || Routing.EstablishedCount > 0);
}
