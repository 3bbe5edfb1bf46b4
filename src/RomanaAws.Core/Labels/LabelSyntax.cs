using System.Text.RegularExpressions;

namespace RomanaAws.Core.Labels;

/// <summary>
/// The API server's validation of label keys and values (apimachinery <c>IsQualifiedName</c>, <c>IsValidLabelValue</c>):
/// a key is an optional DNS-subdomain prefix (≤ 253) and '/', then a name of ≤ 63 alphanumerics, '-', '_', '.',
/// beginning and ending alphanumeric; a value is empty or such a name.
/// </summary>
public static partial class LabelSyntax
{
    public static void CheckKey(string key, string field)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (prefix, name) = slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
        if (prefix is not null && (prefix.Length is 0 or > 253 || !Subdomain().IsMatch(prefix)))
        {
            throw new LabelSelectorException($"{field}: key '{Echo(key)}' has an invalid prefix: a DNS subdomain of at most 253 lowercase alphanumerics, '-' and '.' is valid (e.g. romana.io/segment)");
        }

        if (name.Length is 0 or > 63 || !Name().IsMatch(name))
        {
            throw new LabelSelectorException($"{field}: key '{Echo(key)}' is invalid: a name of 1-63 alphanumerics, '-', '_' or '.', beginning and ending alphanumeric, optionally after 'prefix/', is valid");
        }
    }

    public static void CheckValue(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 63 || (value.Length > 0 && !Name().IsMatch(value)))
        {
            throw new LabelSelectorException($"{field}: value '{Echo(value)}' is invalid: empty, or 1-63 alphanumerics, '-', '_' or '.', beginning and ending alphanumeric, is valid");
        }
    }

    private static string Echo(string text) => text.Length > 80 ? text[..80] + "…" : text;

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
