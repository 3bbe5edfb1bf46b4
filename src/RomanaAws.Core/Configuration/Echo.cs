using System.Globalization;
using System.Text.RegularExpressions;

namespace RomanaAws.Core.Configuration;

/// <summary>
/// What an error message may repeat of the user's input: at most <see cref="MaxChars"/> characters, with a note of the
/// full length, and control characters made visible, so a 20 MB value or a terminal escape never reaches the output.
/// </summary>
public static partial class Echo
{
    public const int MaxChars = 200;

    public static string Cap(string? value, int maxChars = MaxChars)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var shown = value.Length > maxChars ? value[..maxChars] : value;
        if (shown.Any(char.IsControl))
        {
            shown = string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        }

        return value.Length > maxChars
            ? string.Create(CultureInfo.InvariantCulture, $"{shown}… ({value.Length:N0} characters)")
            : shown;
    }

    /// <summary>
    /// A whole message that may quote input anywhere (an exception's text): every run of more than
    /// <see cref="MaxChars"/> non-blank characters is capped, control characters other than line breaks are escaped.
    /// </summary>
    public static string CapMessage(string? message)
    {
        if (message is null)
        {
            return string.Empty;
        }

        var capped = LongRun().Replace(message, m => Cap(m.Value));
        return capped.Any(c => char.IsControl(c) && c is not ('\n' or '\r'))
            ? string.Concat(capped.Select(c => char.IsControl(c) && c is not ('\n' or '\r') ? $"\\u{(int)c:x4}" : c.ToString()))
            : capped;
    }

    [GeneratedRegex(@"\S{201,}")]
    private static partial Regex LongRun();
}
