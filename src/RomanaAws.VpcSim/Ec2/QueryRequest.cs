using System.Globalization;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>
/// The parameters of one Query-protocol request (form fields), with the list conventions of EC2
/// (<c>Name.N</c>, <c>Filter.N.Name</c>/<c>Filter.N.Value.M</c>) and of CloudWatch (<c>Name.member.N</c>).
/// </summary>
internal sealed class QueryRequest(IReadOnlyDictionary<string, string> parameters, string requestId)
{
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string RequestId { get; } = requestId;

    public string Action => Get("Action") ?? string.Empty;

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Get(name) is { Length: > 0 } value ? value : throw Ec2Exception.Missing(name);

    public bool Bool(string name, bool fallback = false)
    {
        var text = Get(name);
        return text is null ? fallback : bool.TryParse(text, out var value) ? value : throw Ec2Exception.Invalid(name, text, "Expected true or false.");
    }

    public int? Int(string name)
    {
        var text = Get(name);
        return text is null ? null : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Ec2Exception.Invalid(name, text, "Expected an integer.");
    }

    /// <summary>Values of <c>{prefix}.1</c>, <c>{prefix}.2</c>, … in index order.</summary>
    public IReadOnlyList<string> List(string prefix) =>
        Indexed(prefix).Select(i => Parameters.TryGetValue($"{prefix}.{i}", out var value) ? value : throw Ec2Exception.Missing($"{prefix}.{i}")).ToList();

    /// <summary>The indexes N used under <paramref name="prefix"/> (<c>prefix.N</c> or <c>prefix.N.*</c>), ascending.</summary>
    public IReadOnlyList<int> Indexed(string prefix)
    {
        var start = prefix + ".";
        var indexes = new SortedSet<int>();
        foreach (var key in Parameters.Keys)
        {
            if (!key.StartsWith(start, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(start.Length);
            var dot = rest.IndexOf('.');
            if (int.TryParse(dot < 0 ? rest : rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indexes.Add(index);
            }
        }

        return indexes.ToList();
    }

    /// <summary>EC2 filters: <c>Filter.N.Name</c> with <c>Filter.N.Value.M</c>.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Filters() =>
        Indexed("Filter").Select(i => (Required($"Filter.{i}.Name"), List($"Filter.{i}.Value"))).ToList();

    /// <summary>
    /// Tags under <c>{prefix}.N.Key</c> / <c>{prefix}.N.Value</c>, with EC2's limits: at most 50, keys of 1–128
    /// characters not starting with <c>aws:</c>, values of at most 256.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags(string prefix)
    {
        var indexes = Indexed(prefix);
        if (indexes.Count > 50)
        {
            throw new Ec2Exception("TagLimitExceeded", $"The maximum number of tags (50) was exceeded: {indexes.Count} given.");
        }

        return indexes.Select(i =>
        {
            var key = Required($"{prefix}.{i}.Key");
            var value = Get($"{prefix}.{i}.Value") ?? string.Empty;
            return key.Length > 128 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
                ? throw Ec2Exception.Invalid($"{prefix}.{i}.Key", key, $"Tag keys are 1 to 128 characters ({key.Length} given) and may not start with aws:.")
                : value.Length > 256
                    ? throw Ec2Exception.Invalid($"{prefix}.{i}.Value", value, $"Tag values are at most 256 characters ({value.Length} given).")
                    : new KeyValuePair<string, string>(key, value);
        }).ToList();
    }
}
