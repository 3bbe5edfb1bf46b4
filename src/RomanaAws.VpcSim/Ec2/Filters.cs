using System.Text.RegularExpressions;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>
/// EC2 filter semantics: values of one filter are ORed, filters are ANDed, values may use '*' and '?' wildcards.
/// Each resource type names the filters it supports; any other name is an error, as in EC2.
/// </summary>
internal static class Filters
{
    public delegate IEnumerable<string?>? FieldSelector<in T>(T resource, string filterName);

    public static IEnumerable<T> Apply<T>(IEnumerable<T> resources, QueryRequest request, FieldSelector<T> fields)
    {
        var filters = request.Filters();
        return resources.Where(r => filters.All(f => Matches(fields(r, f.Name) ?? throw Unknown(f.Name), f.Values)));
    }

    /// <summary>The values <c>tag:Key</c>, <c>tag-key</c> and <c>tag-value</c> filters look at, or null for other names.</summary>
    public static IEnumerable<string?>? TagFields(SimTags tags, string filterName) => filterName switch
    {
        "tag-key" => tags.All.Select(t => (string?)t.Key),
        "tag-value" => tags.All.Select(t => (string?)t.Value),
        _ when filterName.StartsWith("tag:", StringComparison.Ordinal) => [tags.Get(filterName[4..])],
        _ => null,
    };

    private static bool Matches(IEnumerable<string?> actual, IReadOnlyList<string> wanted)
    {
        var patterns = wanted.Select(ToRegex).ToList();
        return actual.Any(a => a is not null && patterns.Any(p => p.IsMatch(a)));
    }

    private static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static Ec2Exception Unknown(string name) =>
        new("InvalidParameterValue", $"The filter '{InputEcho.Of(name)}' is invalid");
}
