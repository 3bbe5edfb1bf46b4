using System.Globalization;

namespace RomanaAws.Core.Configuration;

/// <summary>
/// What an error message may repeat of the user's input: at most <see cref="MaxChars"/> characters, with a note of the
/// full length, and control characters made visible, so a 20 MB value or a terminal escape never reaches the output.
/// </summary>
public static class Echo
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
}
