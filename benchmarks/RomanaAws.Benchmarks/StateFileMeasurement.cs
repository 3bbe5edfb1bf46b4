using System.Diagnostics;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Benchmarks;

/// <summary>
/// A measured run through the real file store: the 5,000-host / 150,000-pod state's size on disk, and the time to
/// save and load it from a file (median of several runs after a warm-up), which BenchmarkDotNet cannot report.
/// </summary>
public static class StateFileMeasurement
{
    public static async Task<int> RunAsync(int runs)
    {
        var ipam = ClusterScenario.PlaceHosts();
        ClusterScenario.AllocateAll(ipam);
        var directory = Directory.CreateTempSubdirectory("romana-bench-");
        try
        {
            var path = Path.Combine(directory.FullName, "state.json");
            var store = new FileIpamStateStore(path);
            var saves = new List<double>();
            var loads = new List<double>();
            var parses = new List<double>();
            long revision = 0;
            for (var i = 0; i < runs + 1; i++)
            {
                var clock = Stopwatch.StartNew();
                revision = await store.SaveAsync(ipam.ToDocument(), revision, CancellationToken.None);
                saves.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                var document = (await store.LoadAsync(CancellationToken.None))!;
                parses.Add(clock.Elapsed.TotalMilliseconds);
                var loaded = Ipam.FromDocument(document, path);
                loads.Add(clock.Elapsed.TotalMilliseconds);
                if (loaded.PodCount != ClusterScenario.PodCount)
                {
                    throw new InvalidOperationException($"loaded {loaded.PodCount} pods, expected {ClusterScenario.PodCount}");
                }
            }

            var size = new FileInfo(path).Length;
            Console.WriteLine($"state file: {ClusterScenario.HostCount} hosts, {ClusterScenario.PodCount} pods, {size:N0} bytes ({size / 1024.0 / 1024.0:0.00} MiB)");
            Console.WriteLine($"save (serialize + write + fsync + rename): median {Stats.Median(saves.Skip(1)):0.0} ms over {runs} runs");
            Console.WriteLine($"load (read + parse + rebuild + verify):    median {Stats.Median(loads.Skip(1)):0.0} ms over {runs} runs (read + parse alone: {Stats.Median(parses.Skip(1)):0.0} ms)");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
