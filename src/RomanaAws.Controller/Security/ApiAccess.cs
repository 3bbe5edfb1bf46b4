using RomanaAws.Core.Configuration;

namespace RomanaAws.Controller.Security;

/// <summary>
/// Who may call what (docs/security.md). Pure. Probes are open; an agent reads only its own desired state and claims,
/// gives back and reports blocks only for its own instance; operators read everything and trigger reconciles, and may
/// not act as an agent. An anonymous caller exists only where authentication is off and may do anything.
/// </summary>
public static class ApiAccess
{
    /// <summary>Paths served to anyone, for kubelet probes: liveness and readiness say nothing about the topology.</summary>
    public static bool IsOpen(string path) => path is "/healthz" or "/readyz";

    public static bool IsMutating(string method) => method is not ("GET" or "HEAD" or "OPTIONS");

    /// <summary>Null when <paramref name="caller"/> may make this call; else why not (403).</summary>
    public static ApiRefusal? Decide(ApiCaller caller, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (caller.Kind == CallerKind.Anonymous || IsOpen(path))
        {
            return null;
        }

        var segments = path.Trim('/').Split('/');
        if (segments is ["v1", "agents", var instance, ..])
        {
            var target = Uri.UnescapeDataString(instance);
            return caller.Kind switch
            {
                CallerKind.Agent when string.Equals(target, caller.InstanceId, StringComparison.Ordinal) => null,
                CallerKind.Agent => Forbidden($"{caller} may act only for its own instance, not {Echo.Cap(target, 64)}"),
                _ when !IsMutating(method) => null,
                _ => Forbidden($"{caller} may read agents' state, but only a node's own agent claims, gives back or reports its blocks"),
            };
        }

        return caller.Kind == CallerKind.Operator
            ? null
            : Forbidden($"{caller} may call only /v1/agents/{caller.InstanceId}; {method} {Echo.Cap(path, 64)} is for operators (api.operatorGroups, api.operatorUsers)");
    }

    private static ApiRefusal Forbidden(string reason) => new(403, reason);
}
