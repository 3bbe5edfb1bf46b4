namespace RomanaAws.KubeSim;

/// <summary>
/// A resource path of the API, parsed. Pure. <c>/api/v1/pods</c> (every namespace), <c>/api/v1/namespaces/N/pods</c>,
/// <c>/api/v1/namespaces/N/pods/NAME[/status]</c>, <c>/api/v1/nodes/NAME[/status]</c>, <c>/api/v1/namespaces/NAME</c>,
/// and the same under <c>/apis/GROUP/VERSION/</c>.
/// </summary>
public sealed record KubePath(KubeResource Resource, string? Namespace, string? Name, string? Subresource)
{
    public bool IsCollection => Name is null;

    public static KubePath? Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Trim('/').Split('/');
        string groupVersion;
        string[] rest;
        if (parts is ["api", "v1", .. var core])
        {
            (groupVersion, rest) = ("v1", core);
        }
        else if (parts is ["apis", var group, var version, .. var tail])
        {
            (groupVersion, rest) = ($"{group}/{version}", tail);
        }
        else
        {
            return null;
        }

        return rest switch
        {
            ["namespaces", var ns, var plural, .. var item] when plural != "status" && item.Length <= 2 && KubeResource.Find(groupVersion, plural) is { Namespaced: true } r =>
                new KubePath(r, ns, item.ElementAtOrDefault(0), item.ElementAtOrDefault(1)),
            [var plural, .. var item] when item.Length <= 2 && KubeResource.Find(groupVersion, plural) is { } r && (!r.Namespaced || item.Length == 0) =>
                new KubePath(r, null, item.ElementAtOrDefault(0), item.ElementAtOrDefault(1)),
            _ => null,
        };
    }

    /// <summary>The RBAC verb of a request to this path (what a ClusterRole must grant).</summary>
    public string Verb(string method, bool watch) => (method, IsCollection) switch
    {
        ("GET", true) => watch ? "watch" : "list",
        ("GET", false) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "deletecollection",
        ("DELETE", false) => "delete",
        _ => method.ToLowerInvariant(),
    };
}
