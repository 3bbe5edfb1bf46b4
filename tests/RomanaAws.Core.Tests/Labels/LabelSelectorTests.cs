using RomanaAws.Core.Labels;

namespace RomanaAws.Core.Tests.Labels;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new(StringComparer.Ordinal) { ["app"] = "web", ["tier"] = "front", ["romana.io/segment"] = "a" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app!=db", true)]
    [InlineData("missing!=x", true)] // != holds when the key is absent
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (db,web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier=back", false)] // AND
    [InlineData(" app = web , romana.io/segment in (a) ", true)]
    public void Parse_MatchesAsTheApiServer(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelectorParser.Parse(selector).Matches(Web));

    [Theory]
    [InlineData("app=")] // an empty value is valid: app has the empty value
    [InlineData("app in (web,)")]
    public void Parse_EmptyValues_AreValues(string selector)
    {
        var parsed = LabelSelectorParser.Parse(selector);
        Assert.True(parsed.Matches(new Dictionary<string, string> { ["app"] = "" }));
        Assert.False(parsed.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("app web", "expected '=', '==', '!=', 'in' or 'notin' after key 'app', not 'web'")]
    [InlineData("app in web", "expected '('")]
    [InlineData("app in (a,b", "expected ','")]
    [InlineData("=web", "expected a label key")]
    [InlineData("-app=web", "key '-app' is invalid")]
    [InlineData("Bad_Prefix/app=x", "invalid prefix")]
    [InlineData("app=-x", "value '-x' is invalid")]
    [InlineData("app=web;tier=x", "expected ','")]
    public void Parse_Invalid_NamesWhereAndWhat(string selector, string message) =>
        Assert.Contains(message, Assert.Throws<LabelSelectorException>(() => LabelSelectorParser.Parse(selector)).Message, StringComparison.Ordinal);

    [Fact]
    public void Create_MatchLabelsAndExpressions_AndedAndCanonical()
    {
        var selector = LabelSelector.Create(
            new Dictionary<string, string> { ["app"] = "web" },
            [new SelectorRequirement("tier", SelectorOperator.NotIn, ["db", "back"]), new SelectorRequirement("romana.io/segment", SelectorOperator.Exists, [])]);
        Assert.True(selector.Matches(Web));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }));
        Assert.Equal("app=web,romana.io/segment,tier notin (back,db)", selector.ToString());
        Assert.Equal(selector, LabelSelectorParser.Parse(selector.ToString()));
    }

    [Fact]
    public void Create_ValuesRules_AsTheApiValidates()
    {
        Assert.Contains("pod.matchExpressions[0].values: must be non-empty when operator is In", Assert.Throws<LabelSelectorException>(() =>
            LabelSelector.Create(null, [new SelectorRequirement("app", SelectorOperator.In, [])], "pod")).Message, StringComparison.Ordinal);
        Assert.Contains("must be empty when operator is Exists (got 1)", Assert.Throws<LabelSelectorException>(() =>
            LabelSelector.Create(null, [new SelectorRequirement("app", SelectorOperator.Exists, ["x"])])).Message, StringComparison.Ordinal);
        Assert.Contains("selector.matchLabels.app: value 'a b' is invalid", Assert.Throws<LabelSelectorException>(() =>
            LabelSelector.Create(new Dictionary<string, string> { ["app"] = "a b" }, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EverythingAndNothing()
    {
        Assert.True(LabelSelector.Create(null, null).IsEverything);
        Assert.True(LabelSelector.Everything.Matches(new Dictionary<string, string>()));
        Assert.False(LabelSelector.Nothing.Matches(Web));
    }

    [Fact]
    public void Exactly_RecognisesASelectorThatIsOneLabelValue()
    {
        Assert.Equal("a", LabelSelectorParser.Parse("romana.io/segment=a").Exactly("romana.io/segment"));
        Assert.Null(LabelSelectorParser.Parse("romana.io/segment=a,app=web").Exactly("romana.io/segment"));
        Assert.Null(LabelSelectorParser.Parse("romana.io/segment in (a,b)").Exactly("romana.io/segment"));
        Assert.Null(LabelSelectorParser.Parse("app=web").Exactly("romana.io/segment"));
    }
}
