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
}
