using System.Text.Json.Nodes;

namespace RomanaAws.KubeSim;

/// <summary>Reading and writing the metadata of a JSON object. Pure.</summary>
internal static class KubeObject
{
    public static JsonObject Metadata(JsonObject item)
    {
        if (item["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            item["metadata"] = metadata;
        }

        return metadata;
    }

    public static string? Text(JsonObject? item, params string[] path)
    {
        JsonNode? node = item;
        foreach (var part in path)
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    public static string Name(JsonObject item) => Text(item, "metadata", "name") ?? string.Empty;

    public static string? Namespace(JsonObject item) => Text(item, "metadata", "namespace");

    public static IReadOnlyDictionary<string, string> Labels(JsonObject item) =>
        item["metadata"]?["labels"] is JsonObject labels
            ? labels.Where(l => l.Value is JsonValue).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
