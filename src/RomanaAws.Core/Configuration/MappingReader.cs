using System.Globalization;

namespace RomanaAws.Core.Configuration;

/// <summary>
/// Typed access to one mapping of a <see cref="ConfigNode"/> tree. Every problem is added to a shared error list
/// rather than thrown, so a whole file is checked in one pass. Unknown keys are errors (with a "did you mean").
/// </summary>
public sealed class MappingReader
{
    private readonly ConfigMapping _mapping;
    private readonly List<ConfigError> _errors;

    private MappingReader(ConfigMapping mapping, List<ConfigError> errors)
    {
        _mapping = mapping;
        _errors = errors;
    }

    public string Path => _mapping.Path;

    /// <summary>Opens <paramref name="node"/> as a mapping with exactly the <paramref name="knownKeys"/>; null if it is not one.</summary>
    public static MappingReader? Open(ConfigNode node, List<ConfigError> errors, params string[] knownKeys)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(errors);
        if (node is not ConfigMapping mapping)
        {
            errors.Add(ConfigError.At(node, $"expected a mapping with keys {string.Join(", ", knownKeys)}"));
            return null;
        }

        foreach (var entry in mapping.Entries.Where(e => !knownKeys.Contains(e.Key, StringComparer.Ordinal)))
        {
            var path = mapping.Path.Length == 0 ? entry.Key : $"{mapping.Path}.{entry.Key}";
            var hint = Suggest(entry.Key, knownKeys);
            var message = hint is null
                ? $"unknown key; valid keys here: {string.Join(", ", knownKeys)}"
                : $"unknown key; did you mean '{hint}'? (valid keys here: {string.Join(", ", knownKeys)})";
            errors.Add(new ConfigError(path, entry.Line, null, message));
        }

        return new MappingReader(mapping, errors);
    }

    public ConfigNode? Node(string key) => _mapping.Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public string KeyPath(string key) => _mapping.Path.Length == 0 ? key : $"{_mapping.Path}.{key}";

    public void Error(string key, string message) =>
        _errors.Add(Node(key) is { } node ? ConfigError.At(node, message) : new ConfigError(KeyPath(key), _mapping.Line, null, message));

    public string? Text(string key, bool required)
    {
        var node = Node(key);
        if (node is null || node is ConfigScalar { IsNull: true })
        {
            if (required)
            {
                _errors.Add(new ConfigError(KeyPath(key), _mapping.Line, null, "is required"));
            }

            return null;
        }

        if (node is not ConfigScalar scalar)
        {
            _errors.Add(ConfigError.At(node, "expected a single value, not a list or mapping"));
            return null;
        }

        return scalar.Value;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Number(string key, int fallback, int min, int max) => (int)LongNumber(key, fallback, min, max);

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] that may exceed 32 bits (AS numbers), or <paramref name="fallback"/> when absent.</summary>
    public long LongNumber(string key, long fallback, long min, long max)
    {
        var node = Node(key);
        if (node is null or ConfigScalar { IsNull: true })
        {
            return fallback;
        }

        if (node is not ConfigScalar { IsQuoted: false } scalar
            || !long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            _errors.Add(ConfigError.At(node, $"expected a whole number from {min} to {max}"));
            return fallback;
        }

        if (value < min || value > max)
        {
            _errors.Add(ConfigError.At(node, $"must be from {min} to {max}"));
            return fallback;
        }

        return value;
    }

    /// <summary>A boolean (<c>true</c> or <c>false</c>), or <paramref name="fallback"/> when absent.</summary>
    public bool Flag(string key, bool fallback)
    {
        var node = Node(key);
        if (node is null or ConfigScalar { IsNull: true })
        {
            return fallback;
        }

        if (node is ConfigScalar { IsQuoted: false, Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add(ConfigError.At(node, "expected true or false"));
        return fallback;
    }

    /// <summary>The items of a list; empty when absent. Null when present but not a list.</summary>
    public IReadOnlyList<ConfigNode>? List(string key, bool required)
    {
        var node = Node(key);
        if (node is null or ConfigScalar { IsNull: true })
        {
            if (required)
            {
                _errors.Add(new ConfigError(KeyPath(key), _mapping.Line, null, "is required (a list)"));
            }

            return node is null && !required ? null : [];
        }

        if (node is not ConfigSequence sequence)
        {
            _errors.Add(ConfigError.At(node, "expected a list"));
            return [];
        }

        return sequence.Items;
    }

    /// <summary>The closest known key by edit distance, when it is close enough to be a typo.</summary>
    public static string? Suggest(string key, IEnumerable<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        return knownKeys
            .Select(k => (Key: k, Distance: EditDistance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(x => x.Distance <= Math.Max(2, x.Key.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Key)
            .FirstOrDefault();
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
