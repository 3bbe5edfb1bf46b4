namespace RomanaAws.Core.Labels;

/// <summary>
/// A Kubernetes label selector (<c>metav1.LabelSelector</c>): requirements ANDed. Pure. The empty selector matches
/// everything (as <c>podSelector: {}</c> does); <see cref="Nothing"/> matches nothing (a null selector where the API
/// means "none"). Built checked from <c>matchLabels</c>/<c>matchExpressions</c> (<see cref="Create"/>) or from the
/// API's query syntax (<see cref="LabelSelectorParser"/>); keys and values follow the API's validation.
/// </summary>
public sealed class LabelSelector : IEquatable<LabelSelector>
{
    private LabelSelector(IReadOnlyList<SelectorRequirement> requirements, bool nothing)
    {
        Requirements = requirements;
        IsNothing = nothing;
    }

    public static LabelSelector Everything { get; } = new([], nothing: false);

    public static LabelSelector Nothing { get; } = new([], nothing: true);

    /// <summary>The requirements, sorted by key then operator (so equal selectors compare and print equal).</summary>
    public IReadOnlyList<SelectorRequirement> Requirements { get; }

    public bool IsNothing { get; }

    public bool IsEverything => !IsNothing && Requirements.Count == 0;

    /// <summary>
    /// The selector of <c>matchLabels</c> and <c>matchExpressions</c>; an invalid key, value, operator/values combination
    /// throws <see cref="LabelSelectorException"/> naming the field (<paramref name="path"/>), the value and what is valid.
    /// </summary>
    public static LabelSelector Create(IReadOnlyDictionary<string, string>? matchLabels, IEnumerable<SelectorRequirement>? matchExpressions, string path = "selector")
    {
        var requirements = new List<SelectorRequirement>();
        foreach (var (key, value) in matchLabels ?? new Dictionary<string, string>())
        {
            LabelSyntax.CheckKey(key, $"{path}.matchLabels");
            LabelSyntax.CheckValue(value, $"{path}.matchLabels.{key}");
            requirements.Add(new SelectorRequirement(key, SelectorOperator.In, [value]));
        }

        var index = 0;
        foreach (var requirement in matchExpressions ?? [])
        {
            var at = $"{path}.matchExpressions[{index++}]";
            LabelSyntax.CheckKey(requirement.Key, $"{at}.key");
            switch (requirement.Operator)
            {
                case SelectorOperator.In or SelectorOperator.NotIn when requirement.Values.Count == 0:
                    throw new LabelSelectorException($"{at}.values: must be non-empty when operator is {requirement.Operator}");
                case SelectorOperator.Exists or SelectorOperator.DoesNotExist when requirement.Values.Count > 0:
                    throw new LabelSelectorException($"{at}.values: must be empty when operator is {requirement.Operator} (got {requirement.Values.Count})");
            }

            for (var v = 0; v < requirement.Values.Count; v++)
            {
                LabelSyntax.CheckValue(requirement.Values[v], $"{at}.values[{v}]");
            }

            requirements.Add(requirement with { Values = [.. requirement.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] });
        }

        return Of(requirements);
    }

    internal static LabelSelector Of(List<SelectorRequirement> requirements) =>
        requirements.Count == 0 ? Everything : new([.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Operator).ThenBy(r => string.Join(',', r.Values), StringComparer.Ordinal)], nothing: false);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return !IsNothing && Requirements.All(r => r.Matches(labels));
    }

    /// <summary>
    /// The one label value this selector pins <paramref name="key"/> to (its only requirement, <c>key In (v)</c>), else null:
    /// how the policy compiler recognises a selector that is exactly an owner (a namespace, or namespace/segment).
    /// </summary>
    public string? Exactly(string key) =>
        Requirements is [{ Operator: SelectorOperator.In, Values: [var value] } only] && only.Key == key ? value : null;

    /// <summary>The API's query syntax (<c>a=b,c in (x,y),!d</c>); empty for everything.</summary>
    public override string ToString() => IsNothing ? "<nothing>" : string.Join(',', Requirements);

    public bool Equals(LabelSelector? other) => other is not null && IsNothing == other.IsNothing && ToString() == other.ToString();

    public override bool Equals(object? obj) => obj is LabelSelector other && Equals(other);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
