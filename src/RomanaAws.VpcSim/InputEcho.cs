using System.Globalization;
using System.Text;

namespace RomanaAws.VpcSim;

/// <summary>
/// How the simulator quotes client input (request parameters, scenario values) in an error message: at most
/// <see cref="MaxLength"/> characters followed by the full length, with control characters and lone surrogates
/// escaped as <c>\uXXXX</c>, so an answer stays small and is always valid XML.
/// </summary>
internal static class InputEcho
{
    public const int MaxLength = 200;

    public static string Of(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var shown = value.Length > MaxLength ? value[..MaxLength] : value;
        var text = new StringBuilder(shown.Length + 24);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]))
            {
                text.Append(c).Append(shown[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        if (value.Length > MaxLength)
        {
            text.Append(CultureInfo.InvariantCulture, $"…({value.Length} characters)");
        }

        return text.ToString();
    }
}
