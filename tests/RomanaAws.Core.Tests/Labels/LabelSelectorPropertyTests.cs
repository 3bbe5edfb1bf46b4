using FsCheck.Xunit;
using RomanaAws.Core.Labels;

namespace RomanaAws.Core.Tests.Labels;

/// <summary>
/// Random selectors (built from seeds over a small key and value alphabet, so requirements collide and overlap) and
/// random label sets: printing and parsing back gives the same selector, and the parsed selector matches exactly the
/// label sets the original does.
/// </summary>
public sealed class LabelSelectorPropertyTests
{
    private static readonly string[] Keys = ["app", "tier", "romana.io/segment", "kubernetes.io/metadata.name"];
    private static readonly string[] Values = ["web", "db", "a", "", "x-1.y_2"];

    [Property(MaxTest = 500)]
    public void PrintThenParse_SameSelectorSameMatches(byte[] selectorSeed, byte[] labelSeed)
    {
        var requirements = new List<SelectorRequirement>();
        for (var i = 0; i + 1 < Math.Min(selectorSeed.Length, 12); i += 2)
        {
            var (a, b) = (selectorSeed[i], selectorSeed[i + 1]);
            var op = (SelectorOperator)(a % 4);
            IReadOnlyList<string> values = op is SelectorOperator.In or SelectorOperator.NotIn ? [.. Enumerable.Range(0, 1 + (b % 3)).Select(k => Values[(b + k) % Values.Length])] : [];
            requirements.Add(new SelectorRequirement(Keys[a / 4 % Keys.Length], op, values));
        }

        var selector = LabelSelector.Create(null, requirements);
        var parsed = LabelSelectorParser.Parse(selector.ToString());
        Assert.Equal(selector, parsed);

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < Math.Min(labelSeed.Length, 8); i += 2)
        {
            labels[Keys[labelSeed[i] % Keys.Length]] = Values[labelSeed[i + 1] % Values.Length];
        }

        Assert.Equal(requirements.All(r => r.Matches(labels)), parsed.Matches(labels));
    }
}
