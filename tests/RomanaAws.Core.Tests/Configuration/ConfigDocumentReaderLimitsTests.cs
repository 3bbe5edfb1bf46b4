using RomanaAws.Core.Configuration;

namespace RomanaAws.Core.Tests.Configuration;

public sealed class ConfigDocumentReaderLimitsTests
{
    private static ConfigError Refused(string text, DocumentLimits? limits = null) =>
        Assert.Single(Assert.Throws<ConfigException>(() => ConfigDocumentReader.Read(text, "t.yaml", limits ?? DocumentLimits.Default)).Errors);

    [Fact]
    public void Read_AliasInMapping_RefusedWithPathAndLine()
    {
        var error = Refused("a: &x [1, 2]\nb:\n  c: *x\n");
        Assert.Equal(("b.c", 3), (error.Path, error.Line));
        Assert.Contains("aliases", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AliasAsKey_Refused()
    {
        Assert.Contains("a key must be plain text", Refused("a: &k x\n*k : 1\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AnchorWithoutAlias_IsAnOrdinaryValue()
    {
        var root = (ConfigMapping)ConfigDocumentReader.Read("a: &x [1, 2]\n", "t.yaml");
        Assert.Equal(2, ((ConfigSequence)root.Entries[0].Value).Items.Count);
    }

    [Fact]
    public void Read_NodeCountOverLimit_RefusedWhileParsing()
    {
        var error = Refused("a: [" + string.Join(", ", Enumerable.Repeat("1", 50)) + "]\n", new DocumentLimits { MaxNodes = 20 });
        Assert.Contains("more than 20 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 20 values", Refused("{\"a\": [" + string.Join(", ", Enumerable.Repeat("1", 50)) + "]}", new DocumentLimits { MaxNodes = 20 }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DepthOverLimit_RefusedNamingTheLimit()
    {
        Assert.Contains("nested more than 3 levels", Refused("a: [[[[1]]]]\n", new DocumentLimits { MaxDepth = 3 }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextOverLimit_RefusedBeforeParsing()
    {
        Assert.Contains("at most 10 are read", Refused("a: 12345678901\n", new DocumentLimits { MaxChars = 10 }).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SecondDocumentAndEmpty_Refused()
    {
        Assert.Contains("more than one YAML document", Refused("a: 1\n---\nb: 2\n").Message, StringComparison.Ordinal);
        Assert.Contains("empty", Refused(string.Empty).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_LongValueAndControlCharacters_EchoCapped()
    {
        var error = new ConfigError("k", 1, new string('x', 5000) + "\u001b", "bad");
        var text = error.ToString();
        Assert.Contains("(5,001 characters)", text, StringComparison.Ordinal);
        Assert.True(text.Length < 300, text);
        Assert.Equal("a\\u001bb", Echo.Cap("a\u001bb"));
    }

    [Fact]
    public void Exception_ManyErrors_ListsAtMostOneHundred()
    {
        var errors = Enumerable.Range(0, 250).Select(i => new ConfigError($"k{i}", i, null, "bad")).ToList();
        var ex = new ConfigException("s", errors);
        Assert.Contains("… and 150 more", ex.Message, StringComparison.Ordinal);
        Assert.Equal(250, ex.Errors.Count);
    }

    [Fact]
    public void Read_NonPrintableCharacter_RefusedBeforeTheScannerSeesIt()
    {
        var error = Refused("a: 1\nb: x\u0000y\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("\\u0000 at line 2, column 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("\\ufffe", Refused("a: \ufffe\n").Message, StringComparison.Ordinal);
        Assert.IsType<ConfigMapping>(ConfigDocumentReader.Read("a: \"tab\there é 😀\"\r\n", "t.yaml"));
    }
}
