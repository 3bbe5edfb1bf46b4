using System.Globalization;
using System.Text.Json.Nodes;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// The Node condition <c>NetworkUnavailable</c>, as the cloud route controller sets it: <c>False</c>/<c>RouteCreated</c> once
/// every route of the node's group is in every managed table and its agent is healthy; <c>True</c> with the reason
/// otherwise (<c>HostNotRegistered</c>, <c>AgentUnhealthy</c>, <c>NoRouteCreated</c>). Written only when the status or
/// reason differs from the Node's. Pure.
/// </summary>
public static class NetworkUnavailable
{
    public const string Type = "NetworkUnavailable";
    public const string RouteCreated = "RouteCreated";
    public const string NoRouteCreated = "NoRouteCreated";
    public const string AgentUnhealthy = "AgentUnhealthy";
    public const string HostNotRegistered = "HostNotRegistered";

    /// <summary>The condition a node should have; <paramref name="health"/> is its agent's (null: no instance seen).</summary>
    public static NodeCondition Wanted(string instanceId, RouteFacts facts, TargetHealth? health)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.DestinationsByHost.TryGetValue(instanceId, out var destinations) || destinations.Count == 0)
        {
            return new NodeCondition("True", HostNotRegistered, $"RomanaAws has no host for {instanceId}: not a running instance of the cluster, or not placed in the IPAM");
        }

        if (health is not TargetHealth.Healthy)
        {
            return new NodeCondition("True", AgentUnhealthy, $"RomanaAws: the node agent on {instanceId} is {(health?.ToString().ToLowerInvariant() ?? "not seen")}");
        }

        if (facts.Tables.Count == 0)
        {
            return new NodeCondition("True", NoRouteCreated, "RomanaAws manages no route table yet");
        }

        var missing = facts.Tables
            .SelectMany(t => destinations.Where(d => facts.Failed.Contains(d) || !facts.InSync.Contains((t, d))).Select(d => (Table: t, Destination: d)))
            .ToList();
        if (missing.Count > 0)
        {
            var (table, destination) = missing[0];
            var more = missing.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {missing.Count - 1} more)") : string.Empty;
            return new NodeCondition("True", NoRouteCreated, $"RomanaAws has not created the route {destination} in {table}{more}");
        }

        return new NodeCondition("False", RouteCreated,
            string.Create(CultureInfo.InvariantCulture, $"RomanaAws created the routes of the node's group ({string.Join(", ", destinations)}) in every route table ({facts.Tables.Count})"));
    }

    /// <summary>Whether the Node needs a write: the status or reason differ (the message alone never causes one).</summary>
    public static bool Differs(NodeCondition? current, NodeCondition wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return current is null || current.Status != wanted.Status || current.Reason != wanted.Reason;
    }

    /// <summary>
    /// Whether to PATCH: the Node differs from what is wanted, and this very version of the Node was not already
    /// answered with the same condition (the watch had not yet delivered our write).
    /// </summary>
    public static bool ShouldWrite(KubeNode node, NodeCondition wanted, (NodeCondition Condition, string? ResourceVersion)? written)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Differs(node.NetworkUnavailable, wanted)
            && !(written is { } w && w.ResourceVersion == node.ResourceVersion && !Differs(w.Condition, wanted));
    }

    /// <summary>The strategic merge patch of <c>nodes/NAME/status</c> (conditions merge by type; keys in the API's order).</summary>
    public static string Patch(NodeCondition wanted, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var at = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var condition = new JsonObject
        {
            ["type"] = Type,
            ["status"] = wanted.Status,
            ["lastHeartbeatTime"] = at,
            ["lastTransitionTime"] = at,
            ["reason"] = wanted.Reason,
            ["message"] = wanted.Message,
        };
        return new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition) } }.ToJsonString();
    }
}
