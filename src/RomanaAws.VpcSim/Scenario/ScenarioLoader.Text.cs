namespace RomanaAws.VpcSim.Scenario;

public static partial class ScenarioLoader
{
    /// <summary>
    /// The offset of the first character outside YAML 1.2's printable set (c-printable), or null. Core has the same check
    /// (YamlTreeBuilder); it is repeated here on purpose: the simulator shares no code with Core (docs/architecture.md).
    /// </summary>
    private static int? FirstNonPrintable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00a0' and <= '\ud7ff') or (>= '\ue000' and <= '\ufffd')
                || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (!ok)
            {
                return i;
            }
        }

        return null;
    }
}
