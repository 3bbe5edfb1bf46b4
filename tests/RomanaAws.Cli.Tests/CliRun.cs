namespace RomanaAws.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The repository root (where RomanaAws.sln is), for the shipped examples.</summary>
    public static string RepoRoot => RomanaAws.Tests.Shared.Repo.Root;

    /// <summary>Parses a command line with the real command tree, without running it.</summary>
    public static System.CommandLine.ParseResult Parse(IReadOnlyList<string> args) =>
        CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null, CancellationToken.None)).Parse([.. args]);

    public static string Example(string name) => Path.Combine(RepoRoot, "examples", name);
}
