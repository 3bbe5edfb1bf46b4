using System.Text;

namespace RomanaAws.Cli.Tests.Hardening;

/// <summary>Documents built to exhaust the parser: refused while parsing, with a named error and exit 2.</summary>
public sealed class HostileDocumentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "doc.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Validate_BillionLaughs_RefusedAtTheFirstAlias()
    {
        // Nine levels of ten aliases each: 10^9 nodes if expanded. 1.4 KB of text.
        var yaml = new StringBuilder("cluster: c1\nnetworks: [{name: pods, cidr: 100.96.0.0/11}]\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        var run = await CliRun.Of("topology", "validate", "--config", Write(yaml.ToString()));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("l1[0] (line 4): YAML aliases (*name) are not supported", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DeepNesting_RefusedNamingTheLimit()
    {
        var run = await CliRun.Of("topology", "validate", "--config", Write("cluster: c1\nx: " + new string('[', 5000) + new string(']', 5000) + "\n"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nested more than 64 levels deep", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DeepJson_RefusedNamingTheLimit()
    {
        var run = await CliRun.Of("topology", "validate", "--config", Write("{\"x\": " + new string('[', 5000) + new string(']', 5000) + "}"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not valid JSON", run.Error, StringComparison.Ordinal);
        Assert.Contains("depth", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_HugeClusterName_EchoIsCapped()
    {
        var name = new string('x', 2_000_000);
        var run = await CliRun.Of("topology", "validate", "--config", Write($"cluster: {name}\nnetworks: [{{name: pods, cidr: 100.96.0.0/11}}]\n"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(2,000,000 characters)", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.Length < 4000, $"{run.Error.Length} characters of error");
    }

    [Fact]
    public async Task Validate_ControlCharactersInValue_ShownEscaped()
    {
        var run = await CliRun.Of("topology", "validate", "--config", Write("cluster: \"c1\\e[31mred\"\nnetworks: [{name: pods, cidr: 100.96.0.0/11}]\n"));
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Error);
        Assert.Contains("\\u001b", run.Error, StringComparison.Ordinal);
    }
}
