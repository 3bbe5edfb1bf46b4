using System.Text.Json;

namespace RomanaAws.Core.Configuration;

/// <summary>Reads YAML (with line numbers) or JSON text into a <see cref="ConfigNode"/> tree. Pure: text in, tree out.</summary>
public static class ConfigDocumentReader
{
    /// <summary>Parses <paramref name="text"/>; JSON when it starts with '{' or '[', YAML otherwise. Bounded by <see cref="DocumentLimits.Default"/>.</summary>
    public static ConfigNode Read(string text, string source) => Read(text, source, DocumentLimits.Default);

    /// <summary>Parses <paramref name="text"/> within <paramref name="limits"/>, which are checked while parsing.</summary>
    public static ConfigNode Read(string text, string source, DocumentLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        if (text.Length > limits.MaxChars)
        {
            throw new ConfigException(source, [new ConfigError("(document)", null, null, $"is {text.Length:N0} characters long; at most {limits.MaxChars:N0} are read")]);
        }

        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ReadJson(text, source, limits) : YamlTreeBuilder.Build(text, source, limits);
    }

    private static ConfigNode ReadJson(string text, string source, DocumentLimits limits)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false, MaxDepth = limits.MaxDepth });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            throw new ConfigException(source, [new ConfigError("(document)", line, null, $"not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var errors = new List<ConfigError>();
            var nodes = 0;
            var root = FromJson(document.RootElement, string.Empty, errors, ref nodes, limits.MaxNodes, source);
            return errors.Count > 0 ? throw new ConfigException(source, errors) : root;
        }
    }

    private static ConfigNode FromJson(JsonElement element, string path, List<ConfigError> errors, ref int nodes, int maxNodes, string source)
    {
        if (++nodes > maxNodes)
        {
            throw new ConfigException(source, [new ConfigError("(document)", null, null, $"has more than {maxNodes:N0} values; a configuration this large is not supported")]);
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<ConfigEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        errors.Add(new ConfigError(childPath, null, null, "key appears twice; keep one"));
                        continue;
                    }

                    entries.Add(new ConfigEntry(property.Name, null, FromJson(property.Value, childPath, errors, ref nodes, maxNodes, source)));
                }

                return new ConfigMapping(path, null, entries);
            case JsonValueKind.Array:
                var items = new List<ConfigNode>();
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(FromJson(item, $"{path}[{items.Count}]", errors, ref nodes, maxNodes, source));
                }

                return new ConfigSequence(path, null, items);
            case JsonValueKind.String:
                return new ConfigScalar(path, null, element.GetString(), true);
            case JsonValueKind.Null:
                return new ConfigScalar(path, null, null, false);
            default:
                return new ConfigScalar(path, null, element.GetRawText(), false);
        }
    }
}
