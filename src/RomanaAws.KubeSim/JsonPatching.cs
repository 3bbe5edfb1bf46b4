using System.Text.Json.Nodes;

namespace RomanaAws.KubeSim;

/// <summary>
/// The API server's patch types for JSON objects. Pure. JSON merge patch (RFC 7386): maps merge, null deletes, lists
/// are replaced. Strategic merge patch: the same, except lists the Go types tag <c>patchStrategy:"merge"</c>, which
/// merge element by element on their merge key (conditions by type, containers by name, …), primitive sets that
/// merge as sets, and the directives (<c>$patch</c>, <c>$setElementOrder/</c>, <c>$deleteFromPrimitiveList/</c>,
/// <c>$retainKeys</c>), which are obeyed or dropped, never stored. NetworkPolicy has no tagged lists, so for it the
/// two are the same.
/// </summary>
public static class JsonPatching
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["metadata.ownerReferences"] = "uid",
        ["spec.containers"] = "name",
        ["spec.initContainers"] = "name",
        ["spec.ephemeralContainers"] = "name",
        ["spec.volumes"] = "name",
        ["spec.imagePullSecrets"] = "name",
        ["spec.containers[].ports"] = "containerPort",
        ["spec.initContainers[].ports"] = "containerPort",
        ["spec.containers[].env"] = "name",
        ["spec.initContainers[].env"] = "name",
        ["spec.containers[].volumeMounts"] = "mountPath",
        ["spec.initContainers[].volumeMounts"] = "mountPath",
        ["spec.hostAliases"] = "ip",
        ["spec.topologySpreadConstraints"] = "topologyKey",
        ["status.conditions"] = "type",
        ["status.podIPs"] = "ip",
        ["status.addresses"] = "type",
    };

    private static readonly HashSet<string> PrimitiveSets = new(StringComparer.Ordinal) { "metadata.finalizers", "spec.podCIDRs" };

    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }

        return result;
    }

    public static JsonNode? StrategicMergePatch(JsonNode? target, JsonNode? patch) => Strategic(target, patch, string.Empty);

    private static JsonNode? Strategic(JsonNode? target, JsonNode? patch, string path)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        switch (Directive(patchObject))
        {
            case "replace":
                return Without(patchObject);
            case "delete":
                return null;
        }

        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            var at = path.Length == 0 ? key : $"{path}.{key}";
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var list = key["$deleteFromPrimitiveList/".Length..];
                if (result[list] is JsonArray existing && value is JsonArray remove)
                {
                    result[list] = new JsonArray([.. existing.Where(e => !remove.Any(r => JsonNode.DeepEquals(r, e))).Select(e => e?.DeepClone())]);
                }

                continue;
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray patchList && MergeKeys.TryGetValue(at, out var mergeKey))
            {
                result[key] = MergeList(result[key] as JsonArray, patchList, mergeKey, at);
            }
            else if (value is JsonArray set && PrimitiveSets.Contains(at))
            {
                var merged = result[key] is JsonArray current ? current.Select(e => e?.DeepClone()).ToList() : [];
                merged.AddRange(set.Where(e => !merged.Any(m => JsonNode.DeepEquals(m, e))).Select(e => e?.DeepClone()));
                result[key] = new JsonArray([.. merged]);
            }
            else
            {
                var merged = Strategic(result[key], value, at);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = merged;
                }
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? current, JsonArray patch, string mergeKey, string path)
    {
        if (patch.OfType<JsonObject>().Any(e => Directive(e) == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(e => Directive(e) != "replace").Select(e => (JsonNode?)Without(e))]);
        }

        var items = current?.Select(e => e?.DeepClone()).ToList() ?? [];
        foreach (var element in patch.OfType<JsonObject>())
        {
            var key = element[mergeKey];
            var index = items.FindIndex(i => i is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key));
            if (Directive(element) == "delete")
            {
                if (index >= 0)
                {
                    items.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                items[index] = Strategic(items[index], element, $"{path}[]");
            }
            else
            {
                items.Add(Strategic(null, element, $"{path}[]"));
            }
        }

        return new JsonArray([.. items]);
    }

    private static string? Directive(JsonObject node) => node["$patch"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject Without(JsonObject node)
    {
        var copy = (JsonObject)node.DeepClone();
        copy.Remove("$patch");
        return copy;
    }
}
