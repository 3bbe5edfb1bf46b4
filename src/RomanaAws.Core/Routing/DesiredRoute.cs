using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

/// <summary>Why a desired route points where it does.</summary>
public enum TargetChoice
{
    /// <summary>The current target is healthy: keep it (sticky).</summary>
    Kept,

    /// <summary>No route yet: a new target was chosen.</summary>
    New,

    /// <summary>The current target is failed, questionable or gone: moved to a healthy host of the group.</summary>
    Failover,

    /// <summary>No healthy host in the group: the route is left as it is (Target is the current one, or null).</summary>
    NoHealthyTarget,

    /// <summary>The target is not healthy, but flap damping holds the route where it is for now.</summary>
    Held,
}

/// <summary>One route every managed table should hold: a group's CIDR (or an overflow range of it) to the group's router.</summary>
public sealed record DesiredRoute(
    Cidr Destination,
    string Network,
    string Zone,
    string SubnetId,
    int Group,
    RouteTarget? Target,
    TargetChoice Choice,
    RouteTarget? Previous)
{
    public GroupKey Key => new(Network, Zone, SubnetId, Group);
}
