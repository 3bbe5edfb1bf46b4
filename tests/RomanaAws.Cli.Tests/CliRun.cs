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
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RomanaAws.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("RomanaAws.sln not found above the test binaries");
        }
    }

    public static string Example(string name) => Path.Combine(RepoRoot, "examples", name);
}
