using System.Text.Json.Nodes;

namespace RomanaAws.KubeSim;

/// <summary>
/// A field selector (<c>metadata.name=x,spec.nodeName!=y</c>): <c>=</c>, <c>==</c> and <c>!=</c>, ANDed, on the field
/// labels the resource supports (metadata.name, metadata.namespace if namespaced, and its own). Anything else is
/// 400 BadRequest, as from the real server.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms;

    private FieldSelector(List<(string, string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text, KubeResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var term in text.Split(','))
        {
            var (op, at) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? ("!=", ne)
                : term.IndexOf("==", StringComparison.Ordinal) is var eq2 and >= 0 ? ("==", eq2)
                : ("=", term.IndexOf('=', StringComparison.Ordinal));
            if (at <= 0)
            {
                throw KubeApiException.BadRequest($"invalid field selector: '{term}': expected field=value, field==value or field!=value");
            }

            var field = term[..at].Trim();
            if (field != "metadata.name" && !(resource.Namespaced && field == "metadata.namespace") && !resource.FieldLabels.Contains(field))
            {
                throw KubeApiException.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, term[(at + op.Length)..].Trim(), op != "!="));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject item) => _terms.All(t => (Value(item, t.Field) == t.Value) == t.Equal);

    /// <summary>A field's value as the API compares it: strings as they are, booleans as true/false, absent as empty.</summary>
    private static string Value(JsonObject item, string field)
    {
        JsonNode? node = item;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            JsonValue v => v.ToJsonString(),
            _ => field == "spec.hostNetwork" || field == "spec.unschedulable" ? "false" : string.Empty,
        };
    }
}
