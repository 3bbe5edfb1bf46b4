using System.Text.Json.Serialization;

namespace RomanaAws.Core.Routing;

/// <summary>
/// How a managed route compares with the desired state (<see cref="RouteReport"/>). The names in brackets are what
/// <c>/v1/routes</c>, <c>romana-aws routes</c> and its JSON show (<see cref="RouteStatusText.Label"/>).
/// </summary>
public enum RouteStatus
{
    /// <summary>Active, to the desired target.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Active, to another target than the desired one.</summary>
    [JsonStringEnumMemberName("wrong target")]
    WrongTarget,

    /// <summary>EC2 reports it blackhole (its target is stopped or gone) and it is not as desired.</summary>
    [JsonStringEnumMemberName("blackhole")]
    Blackhole,

    /// <summary>Ours (inside a pod network, to an instance) but no group needs it any more.</summary>
    [JsonStringEnumMemberName("stale")]
    Stale,

    /// <summary>Desired but not in the table (the only status of a route that does not exist).</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,

    /// <summary>Its group has no healthy host to route to.</summary>
    [JsonStringEnumMemberName("no healthy target")]
    NoHealthyTarget,
}
