namespace RomanaAws.Lab.Build;

/// <summary>Removes everything a lab run created, by name: processes by pid file, then every <c>rlab-</c> namespace.</summary>
public static class LabCleanup
{
    public static int Run()
    {
        var removed = 0;
        if (Directory.Exists(LabNames.RunDirectory))
        {
            foreach (var pidFile in Directory.EnumerateFiles(LabNames.RunDirectory, "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
                {
                    try
                    {
                        using var process = System.Diagnostics.Process.GetProcessById(pid);
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(5000);
                    }
                    catch (ArgumentException)
                    {
                        // already gone
                    }
                    catch (InvalidOperationException)
                    {
                        // already gone
                    }
                }
            }

            Directory.Delete(LabNames.RunDirectory, recursive: true);
        }

        foreach (var line in Shell.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(LabNames.Prefix, StringComparison.Ordinal) && Shell.TryRun("ip", "netns", "del", name))
            {
                removed++;
            }
        }

        return removed;
    }
}
