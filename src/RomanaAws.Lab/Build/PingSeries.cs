using System.Diagnostics;
using System.Globalization;

namespace RomanaAws.Lab.Build;

/// <summary>
/// A steady ICMP stream from one pod to an address (iputils ping, one probe per interval, each waiting up to 1 s),
/// run for a fixed count or until <see cref="StopAsync"/>; read back as a <see cref="BlackoutReport"/>.
/// </summary>
public sealed class PingSeries : IDisposable
{
    private readonly Process _ping;
    private readonly Task<string> _output;
    private readonly TimeSpan _interval;

    private PingSeries(Process ping, TimeSpan interval)
    {
        _ping = ping;
        _interval = interval;
        _output = ping.StandardOutput.ReadToEndAsync();
    }

    public static PingSeries Start(LabPod from, string address, TimeSpan interval, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        var args = new List<string> { $"--net=/run/netns/{from.Namespace}", "--", "ping", "-n", "-i", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-W", "1" };
        if (count is { } c)
        {
            args.AddRange(["-c", c.ToString(CultureInfo.InvariantCulture)]);
        }

        args.Add(address);
        var info = new ProcessStartInfo("nsenter", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        return new PingSeries(Process.Start(info) ?? throw new LabException("cannot start ping"), interval);
    }

    /// <summary>Waits for a counted stream to end; the report counts every probe sent.</summary>
    public async Task<BlackoutReport> WaitAsync(int count, CancellationToken cancellationToken)
    {
        await _ping.WaitForExitAsync(cancellationToken);
        return BlackoutReport.From(count, Answered(await _output), _interval);
    }

    /// <summary>Ends an open stream (SIGINT, so ping prints what it sent) and reads it back.</summary>
    public async Task<BlackoutReport> StopAsync(CancellationToken cancellationToken)
    {
        Shell.TryRun("kill", "-INT", _ping.Id.ToString(CultureInfo.InvariantCulture));
        await _ping.WaitForExitAsync(cancellationToken);
        var output = await _output;
        var sent = output.Split('\n').Select(l => l.Split(' ')).Where(w => w.Length > 2 && w[1] == "packets" && w[2] == "transmitted,").Select(w => int.Parse(w[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        // Probes of the last second (each waits up to 1 s) may still have been in flight when ping was interrupted: the
        // report covers those sent before them. Callers keep the stream going a few seconds past what they measure.
        var inFlight = (int)Math.Ceiling(TimeSpan.FromSeconds(1) / _interval);
        return BlackoutReport.From(Math.Max(0, sent - inFlight), Answered(output), _interval);
    }

    private static List<int> Answered(string output) =>
        output.Split('\n').Select(l => l.IndexOf("icmp_seq=", StringComparison.Ordinal) is var at and >= 0 && int.TryParse(l[(at + 9)..].Split(' ')[0], CultureInfo.InvariantCulture, out var seq) ? seq : -1).Where(s => s > 0).ToList();

    public void Dispose()
    {
        if (!_ping.HasExited)
        {
            _ping.Kill();
        }

        _ping.Dispose();
    }
}
