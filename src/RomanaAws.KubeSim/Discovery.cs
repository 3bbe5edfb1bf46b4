using System.Text.Json.Nodes;

namespace RomanaAws.KubeSim;

/// <summary>The discovery documents (/api, /apis, /api/v1, /apis/GROUP/VERSION) for the resources served. Pure.</summary>
internal static class Discovery
{
    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups().Select(g => (JsonNode)Group(g))]),
    };

    public static JsonObject Group(string group)
    {
        var version = KubeResource.All.First(r => r.Group == group).Version;
        var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    public static IEnumerable<string> Groups() => KubeResource.All.Select(r => r.Group).Where(g => g.Length > 0).Distinct();

    public static JsonObject ResourceList(string groupVersion)
    {
        var resources = new JsonArray();
        foreach (var resource in KubeResource.All.Where(r => r.GroupVersion == groupVersion))
        {
            resources.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = string.Empty,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = resource == KubeResource.TokenReviews ? new JsonArray("create") : new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray([.. resource.ShortNames.Select(s => (JsonNode)s)]),
            });
            if (resource.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{resource.Plural}/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = resource.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }
}
