using System.Diagnostics;
using System.Text.Json;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Takeover after kill -9 of the leader (issue 14): controller replicas as processes on the simulator and a real
/// 3-member etcd (<see cref="ReplicaRig"/>, the rig of the process tests). Each trial kills the leader with SIGKILL
/// (no lease revoked, as a crashed node) and times, on the standby, (1) <c>/readyz</c> saying it leads and (2) its
/// first reconcile pass finished (<c>lastSuccess</c> newer than the kill); then a fresh standby is started and
/// warmed for the next trial. The anchor, in the same run, is the same controllers at client-go's default lease
/// (15 s; client-go also renews within 10 s and retries every 2 s, which only adds to its takeover).
/// </summary>
public static class TakeoverMeasurement
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(int trials, int anchorTrials)
    {
        if (ReplicaRig.Missing() is { } missing)
        {
            Console.WriteLine($"takeover: skipped, {missing}");
            return 0;
        }

        var ours = await TrialsAsync(trials, "default lease (2 s)", new Dictionary<string, string>());
        var anchor = await TrialsAsync(anchorTrials, "client-go's default lease (15 s)", new Dictionary<string, string> { ["ROMANA_ETCD__LEASESECONDS"] = "15" });
        Print("default lease (2 s)", ours);
        Print("anchor: 15 s lease", anchor);
        return 0;
    }

    private static async Task<List<(double Leads, double Reconciled)>> TrialsAsync(int trials, string what, Dictionary<string, string> settings)
    {
        List<(double Leads, double Reconciled)> results = [];
        if (trials <= 0)
        {
            return results;
        }

        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 5, burst: 50);
        var (leader, standby) = await rig.StartPairAsync(Timeout, settings);
        await UntilAsync(leader.InSyncAsync, "the first leader converges the routes", leader);
        for (var trial = 1; trial <= trials; trial++)
        {
            await UntilAsync(async () => await standby.ReadyAsync() is { } r && Text(r, "role") == "follower" && Text(r, "status") == "ready", "the standby is warm", standby);
            var killedAt = TimeProvider.System.GetUtcNow();
            var clock = Stopwatch.StartNew();
            leader.Kill();
            double? leads = null;
            double reconciled;
            while (true)
            {
                var ready = await standby.ReadyAsync();
                if (ready is { } r && Text(r, "role") == "leader")
                {
                    leads ??= clock.Elapsed.TotalMilliseconds;
                    if (r.TryGetProperty("lastSuccess", out var last) && last.ValueKind == JsonValueKind.String && last.GetDateTimeOffset() > killedAt)
                    {
                        reconciled = clock.Elapsed.TotalMilliseconds;
                        break;
                    }
                }

                if (clock.Elapsed > Timeout)
                {
                    throw new TimeoutException($"trial {trial}: {standby.Caller} did not lead and reconcile within {Timeout.TotalSeconds:0} s\n{ReplicaRig.Tail(standby.Output)}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
            }

            results.Add((leads!.Value, reconciled));
            Console.WriteLine($"  {what}, trial {trial}/{trials}: {standby.Caller} leads after {leads:0} ms, first reconcile done after {reconciled:0} ms");
            leader = standby;
            standby = rig.Start($"replica-{trial}", settings);
        }

        return results;
    }

    private static void Print(string what, List<(double Leads, double Reconciled)> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        var leads = results.Select(r => r.Leads).Order().ToArray();
        var done = results.Select(r => r.Reconciled).Order().ToArray();
        Console.WriteLine($"takeover, {what}, {results.Count} trials: leads p50 {Stats.Percentile(leads, 0.50):0} ms p99 {Stats.Percentile(leads, 0.99):0} ms max {leads[^1]:0} ms; " +
            $"first reconcile done p50 {Stats.Percentile(done, 0.50):0} ms p99 {Stats.Percentile(done, 0.99):0} ms min {done[0]:0} ms max {done[^1]:0} ms");
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static async Task UntilAsync(Func<Task<bool>> condition, string what, ControllerProcess watched)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"{what}: not within {Timeout.TotalSeconds:0} s\n{ReplicaRig.Tail(watched.Output)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }
}
