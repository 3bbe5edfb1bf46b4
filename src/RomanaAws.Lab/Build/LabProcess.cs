using System.Diagnostics;

namespace RomanaAws.Lab.Build;

/// <summary>
/// A process started inside a lab namespace (<c>nsenter --net</c>: <c>ip netns exec</c> would remount /sys), its
/// output in a log file under <see cref="LabNames.RunDirectory"/>, its pid recorded so <c>lab down</c> (or the next
/// start) can stop it.
/// </summary>
public sealed class LabProcess(Process process, string name, string log)
{
    public string Name => name;

    public string Log => log;

    public bool Exited => process.HasExited;

    public static LabProcess Start(string netns, string name, string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        Directory.CreateDirectory(LabNames.RunDirectory);
        var log = Path.Combine(LabNames.RunDirectory, name + ".log");
        var info = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in new[] { $"--net=/run/netns/{netns}", "--", file }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new LabException($"cannot start {name}");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        File.WriteAllText(Path.Combine(LabNames.RunDirectory, name + ".pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new LabProcess(process, name, log);
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is not null)
        {
            lock (writer)
            {
                writer.WriteLine(line);
            }
        }
    }

    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
    }
}
