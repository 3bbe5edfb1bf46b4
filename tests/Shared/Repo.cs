using System.Diagnostics;

namespace RomanaAws.Tests.Shared;

/// <summary>
/// The repository the tests run from, and running its tools (linked into the test projects that check shipped
/// files: scripts, templates, manifests).
/// </summary>
internal static class Repo
{
    /// <summary>The repository root (where RomanaAws.sln is).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Runs <paramref name="file"/> to completion and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    private static string FindRoot()
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
