using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RomanaAws.Core.Configuration;

/// <summary>
/// Builds a <see cref="ConfigNode"/> tree straight from YamlDotNet's parser events, checking <see cref="DocumentLimits"/>
/// as each event arrives: an alias, a node past the depth or count limit, or a second document stops the parse at
/// once with an error naming the line. No YAML object model is ever built, so nothing is expanded before it is checked.
/// </summary>
internal sealed class YamlTreeBuilder
{
    private readonly IParser _parser;
    private readonly DocumentLimits _limits;
    private readonly string _source;
    private int _nodes;

    private YamlTreeBuilder(IParser parser, DocumentLimits limits, string source)
    {
        _parser = parser;
        _limits = limits;
        _source = source;
    }

    public static ConfigNode Build(string text, string source, DocumentLimits limits)
    {
        if (NonPrintable(text) is { } bad)
        {
            // YAML 1.2 (5.1) allows only printable characters; YamlDotNet's scanner can spend seconds on a NUL in a
            // directive (a hang found by fuzzing, docs/robustness.md), so they are refused before it sees them.
            throw new ConfigException(source, [new ConfigError("(document)", bad.Line, null, $"holds the character \\u{(int)text[bad.Index]:x4} at line {bad.Line}, column {bad.Column}; YAML allows only printable characters (and tab, CR, LF)")]);
        }

        var builder = new YamlTreeBuilder(new Parser(new StringReader(text)), limits, source);
        try
        {
            return builder.ReadStream();
        }
        catch (YamlException ex)
        {
            throw builder.Fail((int)ex.Start.Line, $"not valid YAML: {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet throws these, not YamlException, for some malformed input (a tag that is no URI, a stray
            // document end, an escape that is no character): found by fuzzing (docs/robustness.md).
            throw builder.Fail(builder._parser.Current is { } at ? (int)at.Start.Line : null, $"not valid YAML: {Echo.Cap(ex.Message)}");
        }
    }

    private ConfigNode ReadStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.Accept<StreamEnd>(out _))
        {
            throw Fail(null, "the file is empty");
        }

        _parser.Consume<DocumentStart>();
        var root = ReadNode(string.Empty, 1);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            throw Fail((int)second.Start.Line, "holds more than one YAML document; expected exactly one");
        }

        _parser.Consume<StreamEnd>();
        return root;
    }

    private ConfigNode ReadNode(string path, int depth)
    {
        var current = _parser.Current ?? throw Fail(null, "ends unexpectedly");
        var line = (int)current.Start.Line;
        if (current is AnchorAlias)
        {
            throw Fail(line, "YAML aliases (*name) are not supported here; write the value out", path);
        }

        if (++_nodes > _limits.MaxNodes)
        {
            throw Fail(line, $"has more than {_limits.MaxNodes:N0} values; a configuration this large is not supported");
        }

        if (depth > _limits.MaxDepth)
        {
            throw Fail(line, $"nested more than {_limits.MaxDepth} levels deep", path);
        }

        switch (current)
        {
            case Scalar scalar:
                _parser.MoveNext();
                var isPlain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                var isNull = isPlain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(path, line, isNull ? null : scalar.Value, !isPlain);
            case SequenceStart:
                _parser.MoveNext();
                var items = new List<ConfigNode>();
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode($"{path}[{items.Count}]", depth + 1));
                }

                return new ConfigSequence(path, line, items);
            case MappingStart:
                _parser.MoveNext();
                return ReadMapping(path, line, depth);
            default:
                throw Fail(line, $"unexpected YAML {current.GetType().Name}", path);
        }
    }

    private ConfigMapping ReadMapping(string path, int line, int depth)
    {
        var entries = new List<ConfigEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current ?? throw Fail(line, "ends unexpectedly");
            var keyLine = (int)keyEvent.Start.Line;
            if (keyEvent is not Scalar keyScalar)
            {
                throw Fail(keyLine, $"a key must be plain text, not a {(keyEvent is AnchorAlias ? "YAML alias" : "list or mapping")}", path);
            }

            _parser.MoveNext();
            var key = keyScalar.Value;
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (!seen.Add(key))
            {
                throw Fail(keyLine, "key appears twice in one mapping; keep one", childPath);
            }

            entries.Add(new ConfigEntry(key, keyLine, ReadNode(childPath, depth + 1)));
        }

        return new ConfigMapping(path, line, entries);
    }

    private ConfigException Fail(int? line, string message, string? path = null) =>
        new(_source, [new ConfigError(string.IsNullOrEmpty(path) ? "(document)" : path, line, null, message)]);

    /// <summary>The first character outside YAML's printable set (c-printable), with its line and column, or null.</summary>
    internal static (int Index, int Line, int Column)? NonPrintable(string text)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00a0' and <= '\ud7ff') or (>= '\ue000' and <= '\ufffd')
                || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (!ok)
            {
                return (i, line, column);
            }

            (line, column) = c == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        return null;
    }
}
