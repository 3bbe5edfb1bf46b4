namespace RomanaAws.Core.Configuration;

/// <summary>
/// A document tree as Microsoft.Extensions.Configuration key/value pairs (<c>controller:routeTables:0</c>), so the
/// services can bind options from the same file the topology comes from, with environment and command line on top.
/// </summary>
public static class ConfigFlattener
{
    public static IReadOnlyDictionary<string, string?> Flatten(ConfigNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Visit(root, string.Empty);
        return result;

        void Visit(ConfigNode node, string prefix)
        {
            switch (node)
            {
                case ConfigMapping mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        Visit(entry.Value, prefix.Length == 0 ? entry.Key : $"{prefix}:{entry.Key}");
                    }

                    break;
                case ConfigSequence { Items.Count: 0 }:
                    // An empty list is a value of its own ("no probes"), not an absent key that leaves the default.
                    result[prefix] = string.Empty;
                    break;
                case ConfigSequence sequence:
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        Visit(sequence.Items[i], $"{prefix}:{i}");
                    }

                    break;
                case ConfigScalar scalar:
                    result[prefix] = scalar.Value;
                    break;
            }
        }
    }

    /// <summary>The line of every key in <see cref="Flatten"/>'s form (<c>controller:resyncSeconds</c>), where the format has lines.</summary>
    public static IReadOnlyDictionary<string, int> Lines(ConfigNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        Visit(root, string.Empty, null);
        return result;

        void Visit(ConfigNode node, string prefix, int? keyLine)
        {
            if ((keyLine ?? node.Line) is { } line && prefix.Length > 0)
            {
                result.TryAdd(prefix, line);
            }

            switch (node)
            {
                case ConfigMapping mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        Visit(entry.Value, prefix.Length == 0 ? entry.Key : $"{prefix}:{entry.Key}", entry.Line);
                    }

                    break;
                case ConfigSequence sequence:
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        Visit(sequence.Items[i], $"{prefix}:{i}", null);
                    }

                    break;
            }
        }
    }
}
