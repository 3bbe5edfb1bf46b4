namespace RomanaAws.Core.Labels;

/// <summary>
/// The API's label selector query syntax (<c>?labelSelector=</c>, <c>kubectl -l</c>; apimachinery <c>labels.Parse</c>):
/// requirements separated by commas, each <c>key</c>, <c>!key</c>, <c>key=value</c> (or <c>==</c>), <c>key!=value</c>,
/// <c>key in (v1,v2)</c> or <c>key notin (v1,v2)</c>; blanks around tokens are ignored. Pure. An error names the
/// position and what was expected.
/// </summary>
public static class LabelSelectorParser
{
    public static LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Length == 0)
        {
            return LabelSelector.Everything;
        }

        var requirements = new List<SelectorRequirement>();
        var at = 0;
        while (true)
        {
            requirements.Add(Requirement(text, ref at));
            Skip(text, ref at);
            if (at == text.Length)
            {
                return LabelSelector.Of(requirements);
            }

            Expect(text, ref at, ",");
        }
    }

    private static SelectorRequirement Requirement(string text, ref int at)
    {
        Skip(text, ref at);
        if (Peek(text, at) == '!')
        {
            at++;
            return new SelectorRequirement(Key(text, ref at), SelectorOperator.DoesNotExist, []);
        }

        var key = Key(text, ref at);
        Skip(text, ref at);
        if (at == text.Length || Peek(text, at) == ',')
        {
            return new SelectorRequirement(key, SelectorOperator.Exists, []);
        }

        if (text.AsSpan(at).StartsWith("!="))
        {
            at += 2;
            return new SelectorRequirement(key, SelectorOperator.NotIn, [Value(text, ref at, key)]);
        }

        if (Peek(text, at) == '=')
        {
            at += text.AsSpan(at).StartsWith("==") ? 2 : 1;
            return new SelectorRequirement(key, SelectorOperator.In, [Value(text, ref at, key)]);
        }

        var word = Word(text, ref at);
        var op = word switch
        {
            "in" => SelectorOperator.In,
            "notin" => SelectorOperator.NotIn,
            _ => throw Error(text, at - word.Length, $"'=', '==', '!=', 'in' or 'notin' after key '{key}', not '{word}'"),
        };
        Skip(text, ref at);
        Expect(text, ref at, "(");
        var values = new List<string>();
        while (true)
        {
            Skip(text, ref at);
            values.Add(Value(text, ref at, key));
            Skip(text, ref at);
            if (Peek(text, at) == ')')
            {
                at++;
                break;
            }

            Expect(text, ref at, ",");
        }

        return new SelectorRequirement(key, op, [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static string Key(string text, ref int at)
    {
        Skip(text, ref at);
        var start = at;
        var key = Word(text, ref at);
        if (key.Length == 0)
        {
            throw Error(text, start, "a label key");
        }

        LabelSyntax.CheckKey(key, $"labelSelector at {start}");
        return key;
    }

    private static string Value(string text, ref int at, string key)
    {
        Skip(text, ref at);
        var start = at;
        var value = Word(text, ref at);
        LabelSyntax.CheckValue(value, $"labelSelector at {start} (value of '{key}')");
        if (value.Length == 0 && Peek(text, at) is not (',' or ')' or '\0'))
        {
            throw Error(text, start, $"a value for key '{key}'");
        }

        return value;
    }

    /// <summary>The longest run of characters that may appear in a key or value.</summary>
    private static string Word(string text, ref int at)
    {
        var start = at;
        while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '-' or '_' or '.' or '/'))
        {
            at++;
        }

        return text[start..at];
    }

    private static void Expect(string text, ref int at, string token)
    {
        Skip(text, ref at);
        if (!text.AsSpan(at).StartsWith(token))
        {
            throw Error(text, at, $"'{token}'");
        }

        at += token.Length;
    }

    private static void Skip(string text, ref int at)
    {
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }
    }

    private static char Peek(string text, int at) => at < text.Length ? text[at] : '\0';

    private static LabelSelectorException Error(string text, int at, string expected) =>
        new($"labelSelector '{(text.Length > 120 ? text[..120] + "…" : text)}': at {at} {(at >= text.Length ? "the end" : $"'{text[at]}'")}, expected {expected}");
}
