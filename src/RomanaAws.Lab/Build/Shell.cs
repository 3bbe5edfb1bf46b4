using System.Diagnostics;

namespace RomanaAws.Lab.Build;

/// <summary>Runs the kernel tools the lab builds with (ip, sysctl); a failure names the command and what it printed.</summary>
public static class Shell
{
    public static string Run(string file, params string[] args) => Run(file, args, null);

    public static string Run(string file, IReadOnlyList<string> args, string? stdin)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        // A CNI plugin answers its errors on stdout: say whichever of the two has something.
        return process.ExitCode == 0 ? output.Result : throw new LabException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {(error.Trim() is { Length: > 0 } e ? e : output.Result.Trim())}");
    }

    /// <summary>Like <see cref="Run(string, string[])"/> but a failure is ignored (removing what may not be there).</summary>
    public static bool TryRun(string file, params string[] args)
    {
        try
        {
            Run(file, args);
            return true;
        }
        catch (LabException)
        {
            return false;
        }
    }

    /// <summary>The output of a command, or empty when it fails.</summary>
    public static string TryRunOutput(string file, params string[] args)
    {
        try
        {
            return Run(file, args);
        }
        catch (LabException)
        {
            return "";
        }
    }

    public static void IpBatch(string netns, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count > 0)
        {
            Run("ip", ["-n", netns, "-batch", "-"], string.Join('\n', lines) + "\n");
        }
    }
}
