using System.Diagnostics;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;
using RomanaAws.Etcd;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Loading the 5,000-host / 25,000-block state from etcd in a fresh process (issue 14), side by side with the file
/// store's fresh-process load of the same state (the load target, &lt; 200 ms, is the file store's). The parent saves
/// the state into a real 3-member etcd (per-record keys, transactions of at most --max-txn-ops) and into a file, then
/// starts this program again for each load, alternating etcd and file so both see the same machine load: the child
/// connects, reads every record at one revision, rebuilds the IPAM and verifies every invariant, and prints its time.
/// </summary>
public static class EtcdLoadMeasurement
{
    private const int BlocksPerHost = 5;

    public static async Task<int> RunAsync(int runs)
    {
        if (EtcdCluster.Missing() is { } missing)
        {
            Console.WriteLine($"etcd load: skipped, {missing}");
            return 0;
        }

        var ipam = ClusterScenario.PlaceHosts();
        foreach (var host in ClusterScenario.Hosts)
        {
            for (var owner = 0; owner < BlocksPerHost; owner++)
            {
                ipam.ClaimBlock(host.InstanceId, ClusterScenario.Owners[owner]);
            }
        }

        var document = ipam.ToDocument();
        await using var etcd = await EtcdCluster.StartAsync(3);
        var options = new EtcdOptions { Endpoints = etcd.Endpoints, Prefix = EtcdOptions.DefaultPrefix(ClusterScenario.Topology.Cluster) };
        var directory = Directory.CreateTempSubdirectory("romana-bench-etcd-");
        try
        {
            var clock = Stopwatch.StartNew();
            using (var connection = new EtcdConnection(options))
            {
                await new EtcdIpamStateStore(connection).SaveAsync(document, 0, CancellationToken.None);
            }

            Console.WriteLine($"etcd: saved {ClusterScenario.HostCount:N0} hosts / {ipam.Blocks().Count:N0} blocks as per-record keys in {clock.Elapsed.TotalMilliseconds:0} ms (first save, every record new)");
            var path = Path.Combine(directory.FullName, "state.json");
            await new FileIpamStateStore(path).SaveAsync(document, 0, CancellationToken.None);

            var endpoints = string.Join(",", etcd.Endpoints);
            Console.WriteLine($"etcd's own floor: one range of every state key, no paging, nothing decoded, median of 7: {await RawRangeAsync(etcd, options):0} ms");
            List<LoadTimes> fromEtcd = [], fromFile = [];
            List<double> etcdProcess = [], fileProcess = [];
            for (var run = 0; run <= runs; run++)
            {
                var (etcdLoad, etcdWall) = await SpawnAsync("etcd", endpoints, options.Prefix);
                var (fileLoad, fileWall) = await SpawnAsync("file", path, "-");
                if (run > 0)
                {
                    fromEtcd.Add(etcdLoad);
                    etcdProcess.Add(etcdWall);
                    fromFile.Add(fileLoad);
                    fileProcess.Add(fileWall);
                }
            }

            Console.WriteLine($"load in a fresh process, median of {runs} after a warm-up (whole process start to exit: etcd {Stats.Median(etcdProcess):0} ms, file {Stats.Median(fileProcess):0} ms):");
            Print("etcd", fromEtcd);
            Print("file store", fromFile);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The child: loads the state once from <paramref name="kind"/> and prints the milliseconds it took, then the
    /// phases (first answer of the store: connection and first call; read and parse; rebuild and verify) and the
    /// median of its 6th to 10th loads (steady state, as the file store's load target is measured).
    /// </summary>
    public static async Task<int> LoadOnceAsync(string kind, string where, string prefix)
    {
        var clock = Stopwatch.StartNew();
        using var connection = kind == "etcd" ? new EtcdConnection(new EtcdOptions { Endpoints = where.Split(',').Select(e => new Uri(e)).ToList(), Prefix = prefix }) : null;
        IIpamStateStore store = connection is null ? new FileIpamStateStore(where) : new EtcdIpamStateStore(connection);
        if (connection is not null)
        {
            await connection.RangeAsync(prefix + "none/", 0, CancellationToken.None);
        }

        var connected = clock.Elapsed.TotalMilliseconds;
        var document = await store.LoadAsync(CancellationToken.None) ?? throw new InvalidOperationException($"no state in {kind} {where}");
        var read = clock.Elapsed.TotalMilliseconds;
        var ipam = Ipam.FromDocument(document, where);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (ipam.Hosts.Count != ClusterScenario.HostCount || ipam.Blocks().Count != ClusterScenario.HostCount * BlocksPerHost)
        {
            throw new InvalidOperationException($"loaded {ipam.Hosts.Count} hosts and {ipam.Blocks().Count} blocks from {kind}");
        }

        var again = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            clock.Restart();
            Ipam.FromDocument(await store.LoadAsync(CancellationToken.None) ?? throw new InvalidOperationException("state went away"), where);
            again.Add(clock.Elapsed.TotalMilliseconds);
        }

        var warm = again.Skip(4).Order().ElementAt(2);
        Console.WriteLine(string.Join(' ', new[] { elapsed, connected, read - connected, elapsed - read, warm }.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        return 0;
    }

    private static async Task<(LoadTimes Load, double Wall)> SpawnAsync(string kind, string where, string prefix)
    {
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["--load-child", kind, where, prefix]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await child.StandardOutput.ReadToEndAsync();
        var error = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var wall = clock.Elapsed.TotalMilliseconds;
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the {kind} load failed ({child.ExitCode}): {output}{error}");
        }

        var times = output.Trim().Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (new LoadTimes(times[0], times[1], times[2], times[3], times[4]), wall);
    }

    private static void Print(string what, List<LoadTimes> runs) =>
        Console.WriteLine($"  {what}: load {Stats.Median(runs.Select(r => r.Total)):0} ms (range {runs.Min(r => r.Total):0}–{runs.Max(r => r.Total):0}) = first answer {Stats.Median(runs.Select(r => r.FirstAnswer)):0} " +
            $"+ read and parse {Stats.Median(runs.Select(r => r.ReadParse)):0} + rebuild and verify {Stats.Median(runs.Select(r => r.Rebuild)):0}; the same process's 6th–10th loads (steady state) {Stats.Median(runs.Select(r => r.Warm)):0} ms");

    /// <summary>What etcd itself takes to answer one range of every record (the floor for any client of per-record keys).</summary>
    private static async Task<double> RawRangeAsync(EtcdCluster etcd, EtcdOptions options)
    {
        using var client = new dotnet_etcd.EtcdClient(string.Join(",", etcd.Endpoints.Select(e => e.ToString().TrimEnd('/'))), configureChannelOptions: o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        var request = new Etcdserverpb.RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(options.StatePrefix), RangeEnd = EtcdConnection.PrefixEnd(options.StatePrefix) };
        List<double> times = [];
        for (var i = 0; i < 8; i++)
        {
            var clock = Stopwatch.StartNew();
            await client.GetConnection().KVClient.RangeAsync(request);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Stats.Median(times.Skip(1));
    }

    private sealed record LoadTimes(double Total, double FirstAnswer, double ReadParse, double Rebuild, double Warm);
}
