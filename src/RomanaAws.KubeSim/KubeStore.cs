using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RomanaAws.Core.Labels;

namespace RomanaAws.KubeSim;

/// <summary>
/// The objects and their history, as etcd plus the registry hold them for the API server. One global revision, bumped
/// by every write to any resource, is every object's resourceVersion at its last write and every list's. A bounded
/// history of changes serves watches from a resourceVersion; older ones are 410 Expired. A write that changes nothing
/// writes nothing (no new version, no event). Thread-safe: one lock, which also makes a watch's replay and its live
/// events one gap-free sequence.
/// </summary>
public sealed partial class KubeStore(TimeProvider time, int historyLimit = 10_000)
{
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    private readonly Lock _lock = new();
    private readonly Dictionary<KubeResource, SortedDictionary<string, JsonObject>> _objects = KubeResource.All.ToDictionary(r => r, _ => new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<KubeWatch> _watches = [];
    private long _revision = 1;
    private long _compacted = 1;

    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    /// <summary>Forgets the history up to now: a watch from any older resourceVersion gets 410 Expired (a test hook).</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compacted = _revision;
        }
    }

    /// <summary>Matching objects in key order (namespace, then name) from after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public (IReadOnlyList<JsonObject> Items, long Revision, string? LastKey) List(KubeResource resource, string? ns, LabelSelector labels, FieldSelector fields, int? limit = null, string? after = null)
    {
        lock (_lock)
        {
            var items = new List<JsonObject>();
            string? last = null;
            foreach (var (key, item) in _objects[resource])
            {
                if ((after is not null && string.CompareOrdinal(key, after) <= 0) || (ns is not null && KubeObject.Namespace(item) != ns) || !labels.Matches(KubeObject.Labels(item)) || !fields.Matches(item))
                {
                    continue;
                }

                if (limit is { } max && items.Count == max)
                {
                    return (items, _revision, last);
                }

                items.Add((JsonObject)item.DeepClone());
                last = key;
            }

            return (items, _revision, null);
        }
    }

    public JsonObject Get(KubeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            return _objects[resource].TryGetValue(KubeObject.Key(ns, name), out var item) ? (JsonObject)item.DeepClone() : throw KubeApiException.NotFound(resource, name);
        }
    }

    public JsonObject Create(KubeResource resource, string? ns, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        var item = (JsonObject)body.DeepClone();
        var metadata = KubeObject.Metadata(item);
        var name = KubeObject.Text(item, "metadata", "name");
        if (string.IsNullOrEmpty(name) && KubeObject.Text(item, "metadata", "generateName") is { Length: > 0 } prefix)
        {
            name = prefix + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..5];
        }

        CheckName(resource, name ?? string.Empty);
        CheckNamespace(resource, ns, item, name!);
        lock (_lock)
        {
            if (resource.Namespaced && !_objects[KubeResource.Namespaces].ContainsKey(ns!))
            {
                throw KubeApiException.NamespaceNotFound(ns!);
            }

            var key = KubeObject.Key(ns, name!);
            if (_objects[resource].ContainsKey(key))
            {
                throw KubeApiException.AlreadyExists(resource, name!);
            }

            metadata["name"] = name;
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata.Remove("resourceVersion");
            item["kind"] = resource.Kind;
            item["apiVersion"] = resource.GroupVersion;
            if (resource == KubeResource.NetworkPolicies)
            {
                metadata["generation"] = 1L;
            }

            Defaults(resource, item, created: true);
            return Commit(resource, key, null, item);
        }
    }

    /// <summary>
    /// Replaces an object (PUT), or its status (<paramref name="status"/>: the status subresource). The main resource
    /// keeps the stored status and the status subresource keeps everything else, as the registry's strategies do. A
    /// resourceVersion in the body must be the current one (409 Conflict otherwise); none means unconditional.
    /// </summary>
    public JsonObject Update(KubeResource resource, string? ns, string name, JsonObject body, bool status = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(body);
        lock (_lock)
        {
            var key = KubeObject.Key(ns, name);
            if (!_objects[resource].TryGetValue(key, out var old))
            {
                throw KubeApiException.NotFound(resource, name);
            }

            if (KubeObject.Text(body, "metadata", "name") is { } bodyName && bodyName != name)
            {
                throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            if (KubeObject.Text(body, "metadata", "resourceVersion") is { Length: > 0 } version && version != KubeObject.Text(old, "metadata", "resourceVersion"))
            {
                throw KubeApiException.Conflict(resource, name);
            }

            var item = (JsonObject)body.DeepClone();
            if (status)
            {
                var kept = (JsonObject)old.DeepClone();
                kept["status"] = item["status"]?.DeepClone();
                item = kept;
            }
            else if (resource.HasStatus)
            {
                item.Remove("status");
                if (old["status"] is { } oldStatus)
                {
                    item["status"] = oldStatus.DeepClone();
                }
            }

            var metadata = KubeObject.Metadata(item);
            foreach (var fixedField in new[] { "name", "namespace", "uid", "creationTimestamp", "generation" })
            {
                if (old["metadata"]?[fixedField] is { } kept)
                {
                    metadata[fixedField] = kept.DeepClone();
                }
                else
                {
                    metadata.Remove(fixedField);
                }
            }

            metadata.Remove("resourceVersion");
            item["kind"] = resource.Kind;
            item["apiVersion"] = resource.GroupVersion;
            Defaults(resource, item, created: false);
            var before = (JsonObject)old.DeepClone();
            KubeObject.Metadata(before).Remove("resourceVersion");
            if (JsonNode.DeepEquals(before, item))
            {
                return (JsonObject)old.DeepClone();
            }

            if (resource == KubeResource.NetworkPolicies && !JsonNode.DeepEquals(before["spec"], item["spec"]))
            {
                metadata["generation"] = (long.TryParse(old["metadata"]?["generation"]?.ToJsonString(), CultureInfo.InvariantCulture, out var generation) ? generation : 1) + 1;
            }

            return Commit(resource, key, old, item);
        }
    }

    /// <summary>A patch (merge-patch or strategic-merge-patch) applied to the current object, then written as by <see cref="Update"/>.</summary>
    public JsonObject Patch(KubeResource resource, string? ns, string name, string patchType, JsonNode patch, bool status = false)
    {
        ArgumentNullException.ThrowIfNull(patchType);
        lock (_lock)
        {
            var current = Get(resource, ns, name);
            var patched = patchType switch
            {
                "application/merge-patch+json" => JsonPatching.MergePatch(current, patch),
                "application/strategic-merge-patch+json" => JsonPatching.StrategicMergePatch(current, patch),
                _ => throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got {patchType})"),
            } as JsonObject ?? throw KubeApiException.BadRequest("the patch removed the whole object");
            if (patch["metadata"]?["resourceVersion"] is null)
            {
                KubeObject.Metadata(patched).Remove("resourceVersion");
            }

            return Update(resource, ns, name, patched, status);
        }
    }

    /// <summary>Deletes an object (a namespace with everything in it) and returns its last state.</summary>
    public JsonObject Delete(KubeResource resource, string? ns, string name)
    {
        lock (_lock)
        {
            var key = KubeObject.Key(ns, name);
            if (!_objects[resource].TryGetValue(key, out var old))
            {
                throw KubeApiException.NotFound(resource, name);
            }

            if (resource == KubeResource.Namespaces)
            {
                foreach (var inner in KubeResource.All.Where(r => r.Namespaced))
                {
                    foreach (var (innerKey, innerItem) in _objects[inner].Where(e => KubeObject.Namespace(e.Value) == name).ToList())
                    {
                        Commit(inner, innerKey, innerItem, null);
                    }
                }
            }

            Commit(resource, key, old, null);
            var last = (JsonObject)old.DeepClone();
            KubeObject.Metadata(last)["resourceVersion"] = Version(_revision);
            return last;
        }
    }

    private JsonObject Commit(KubeResource resource, string key, JsonObject? old, JsonObject? item)
    {
        _revision++;
        if (item is not null)
        {
            KubeObject.Metadata(item)["resourceVersion"] = Version(_revision);
            _objects[resource][key] = item;
        }
        else
        {
            _objects[resource].Remove(key);
        }

        var change = new StoredEvent(_revision, resource, old, item);
        _history.AddLast(change);
        while (_history.Count > historyLimit)
        {
            _compacted = _history.First!.Value.Revision;
            _history.RemoveFirst();
        }

        foreach (var watch in _watches.Where(w => w.Resource == resource))
        {
            if (watch.See(change) is { } seen)
            {
                watch.Events.Writer.TryWrite(seen);
            }
        }

        return (JsonObject)(item ?? old!).DeepClone();
    }

    private static void Defaults(KubeResource resource, JsonObject item, bool created)
    {
        var metadata = KubeObject.Metadata(item);
        if (resource == KubeResource.Namespaces)
        {
            if (metadata["labels"] is not JsonObject labels)
            {
                labels = new JsonObject();
                metadata["labels"] = labels;
            }

            labels[NamespaceNameLabel] = KubeObject.Name(item);
            if (created)
            {
                item["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                item["status"] = new JsonObject { ["phase"] = "Active" };
            }
        }
        else if (resource == KubeResource.Pods && created)
        {
            item["status"] = new JsonObject { ["phase"] = "Pending" };
        }
    }

    private static void CheckName(KubeResource resource, string name)
    {
        var label = resource == KubeResource.Namespaces;
        if (name.Length == 0)
        {
            throw KubeApiException.Invalid(resource, name, "metadata.name", "Required value: name or generateName is required");
        }

        if (label ? name.Length > 63 || !Dns1123Label().IsMatch(name) : name.Length > 253 || !Dns1123Subdomain().IsMatch(name))
        {
            throw KubeApiException.Invalid(resource, name, "metadata.name", label
                ? $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void CheckNamespace(KubeResource resource, string? ns, JsonObject item, string name)
    {
        var bodyNamespace = KubeObject.Namespace(item);
        if (resource.Namespaced && ns is null)
        {
            throw KubeApiException.BadRequest($"{resource.Plural} \"{name}\": a namespaced resource is created under /namespaces/NAME/");
        }

        if (resource.Namespaced && bodyNamespace is { Length: > 0 } && bodyNamespace != ns)
        {
            throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    internal static string Version(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
