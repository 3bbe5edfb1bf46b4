using RomanaAws.Lab.Scenarios;

namespace RomanaAws.Lab.Build;

/// <summary>The lab's process logs under <see cref="LabNames.RunDirectory"/> (<c>NAME.log</c>, written by <see cref="LabProcess"/>).</summary>
public static class LabLogs
{
    /// <summary>The lines of a process's log from line <paramref name="skip"/> on (none when it has no log).</summary>
    public static IEnumerable<string> Lines(string process, int skip = 0)
    {
        var log = Path.Combine(LabNames.RunDirectory, process + ".log");
        return File.Exists(log) ? File.ReadLines(log).Skip(skip) : [];
    }

    /// <summary>How many lines a process's log has (a mark for <see cref="Lines"/>).</summary>
    public static int Count(string process) => Lines(process).Count();

    /// <summary>The mirroring delays the router follower logged (simulator write → kernel), in milliseconds, from line <paramref name="skip"/> on.</summary>
    public static IReadOnlyList<double> MirrorDelays(int skip = 0) => MirrorLog.Delays(Lines("router", skip));
}
