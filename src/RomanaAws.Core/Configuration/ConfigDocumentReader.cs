using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RomanaAws.Core.Configuration;

/// <summary>Reads YAML (with line numbers) or JSON text into a <see cref="ConfigNode"/> tree. Pure: text in, tree out.</summary>
public static class ConfigDocumentReader
{
    /// <summary>Parses <paramref name="text"/>; JSON when it starts with '{' or '[', YAML otherwise.</summary>
    public static ConfigNode Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ReadJson(text, source) : ReadYaml(text, source);
    }

    private static ConfigNode ReadYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ConfigException(source, [new ConfigError("(document)", (int)ex.Start.Line, null, $"not valid YAML: {ex.Message}")]);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ConfigException(source, [new ConfigError("(document)", null, null, "the file is empty")]);
        }

        if (stream.Documents.Count > 1)
        {
            throw new ConfigException(source, [new ConfigError("(document)", (int)stream.Documents[1].RootNode.Start.Line, null, "holds more than one YAML document; expected exactly one")]);
        }

        var errors = new List<ConfigError>();
        var root = FromYaml(stream.Documents[0].RootNode, string.Empty, errors);
        return errors.Count > 0 ? throw new ConfigException(source, errors) : root;
    }

    private static ConfigNode FromYaml(YamlNode node, string path, List<ConfigError> errors)
    {
        var line = (int)node.Start.Line;
        switch (node)
        {
            case YamlScalarNode scalar:
                var isPlain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                var isNull = isPlain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(path, line, isNull ? null : scalar.Value, !isPlain);
            case YamlSequenceNode sequence:
                return new ConfigSequence(path, line, sequence.Children.Select((c, i) => FromYaml(c, $"{path}[{i}]", errors)).ToList());
            case YamlMappingNode mapping:
                // YamlDotNet itself refuses duplicate keys (reported as "Duplicate key" with the line).
                var entries = new List<ConfigEntry>();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    entries.Add(new ConfigEntry(key, (int)keyNode.Start.Line, FromYaml(valueNode, childPath, errors)));
                }

                return new ConfigMapping(path, line, entries);
            default:
                errors.Add(new ConfigError(path, line, null, "YAML aliases and tags are not supported here"));
                return new ConfigScalar(path, line, null, false);
        }
    }

    private static ConfigNode ReadJson(string text, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            throw new ConfigException(source, [new ConfigError("(document)", line, null, $"not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var errors = new List<ConfigError>();
            var root = FromJson(document.RootElement, string.Empty, errors);
            return errors.Count > 0 ? throw new ConfigException(source, errors) : root;
        }
    }

    private static ConfigNode FromJson(JsonElement element, string path, List<ConfigError> errors)
    {
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

                    entries.Add(new ConfigEntry(property.Name, null, FromJson(property.Value, childPath, errors)));
                }

                return new ConfigMapping(path, null, entries);
            case JsonValueKind.Array:
                return new ConfigSequence(path, null, element.EnumerateArray().Select((c, i) => FromJson(c, $"{path}[{i}]", errors)).ToList());
            case JsonValueKind.String:
                return new ConfigScalar(path, null, element.GetString(), true);
            case JsonValueKind.Null:
                return new ConfigScalar(path, null, null, false);
            default:
                return new ConfigScalar(path, null, element.GetRawText(), false);
        }
    }
}
