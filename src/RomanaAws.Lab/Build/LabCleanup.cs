using System.Globalization;

namespace RomanaAws.Lab.Build;

/// <summary>
/// Removes everything a lab run created, by name, also after a crash: every process inside an <c>rlab-</c> namespace
/// (agents, containerds, their runc shims, the pods' containers: found by namespace, as shims outlive their containerd),
/// the processes of its pid files, the mounts under <see cref="LabNames.RunDirectory"/> (the containers' root
/// filesystems), runc's state of the lab's containerd namespace, then the namespaces themselves.
/// </summary>
public static class LabCleanup
{
    public static int Run()
    {
        var namespaces = Shell.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(LabNames.Prefix, StringComparison.Ordinal)).ToList();
        var pids = namespaces.SelectMany(n => Shell.TryRunOutput("ip", "netns", "pids", n).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (Directory.Exists(LabNames.RunDirectory))
        {
            pids.AddRange(Directory.EnumerateFiles(LabNames.RunDirectory, "*.pid").Select(File.ReadAllText));
        }

        foreach (var pid in pids.Select(p => int.TryParse(p.Trim(), CultureInfo.InvariantCulture, out var n) ? n : 0).Where(p => p > 1 && p != Environment.ProcessId).Distinct())
        {
            Kill(pid);
        }

        foreach (var mount in MountsUnder(LabNames.RunDirectory))
        {
            Shell.TryRun("umount", "-l", mount);
        }

        if (Directory.Exists(LabNames.RunDirectory))
        {
            Directory.Delete(LabNames.RunDirectory, recursive: true);
        }

        var runc = Path.Combine("/run/containerd/runc", NodeContainerd.CtrNamespace);
        if (Directory.Exists(runc))
        {
            Directory.Delete(runc, recursive: true);
        }

        return namespaces.Count(n => Shell.TryRun("ip", "netns", "del", n));
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>Mount points at or below <paramref name="root"/>, deepest first (from /proc/self/mountinfo).</summary>
    private static List<string> MountsUnder(string root) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f.Length > 4).Select(f => f[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal)).Distinct().OrderByDescending(m => m.Length).ToList();
}
