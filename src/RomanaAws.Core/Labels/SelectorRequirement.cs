namespace RomanaAws.Core.Labels;

/// <summary>
/// One requirement of a label selector: <see cref="Key"/>, <see cref="Operator"/> and, for In/NotIn, a non-empty set of
/// values (Exists/DoesNotExist have none). <c>matchLabels: {k: v}</c> is the requirement <c>k In (v)</c>.
/// </summary>
public sealed record SelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>
    /// Kubernetes semantics: In needs the key present with one of the values; NotIn holds when the key is absent or has
    /// none of them; Exists/DoesNotExist test the key only.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.In => has && Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.NotIn => !has || !Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.Exists => has,
            _ => !has,
        };
    }

    public override string ToString() => Operator switch
    {
        SelectorOperator.In when Values.Count == 1 => $"{Key}={Values[0]}",
        SelectorOperator.In => $"{Key} in ({string.Join(',', Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        SelectorOperator.Exists => Key,
        _ => "!" + Key,
    };
}
