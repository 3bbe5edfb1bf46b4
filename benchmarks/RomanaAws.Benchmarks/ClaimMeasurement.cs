using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Agents;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Agents' block claims on etcd (issue 14): two controller processes on a real 3-member etcd (<see cref="ReplicaRig"/>),
/// claims and releases over the controller's HTTP API as the agent sends them. A claim is answered only once it is
/// durable in etcd (one transaction comparing the records' revisions and the leader key). Measured: latency of one
/// claim and one release at a time through the leader, the same through the standby (which forwards to the leader),
/// and throughput with 16 agents claiming and releasing at once through both.
/// </summary>
public static class ClaimMeasurement
{
    public static async Task<int> RunAsync(int sequential, TimeSpan concurrentFor)
    {
        if (ReplicaRig.Missing() is { } missing)
        {
            Console.WriteLine($"claims: skipped, {missing}");
            return 0;
        }

        var topology = ControllerConfig.Load(ReplicaRig.Config).Topology;
        await using var rig = await ReplicaRig.StartAsync(mutationsPerSecond: 5, burst: 50);
        var (leader, standby) = await rig.StartPairAsync(TimeSpan.FromSeconds(60));
        await TakeoverMeasurement.UntilAsync(leader.InSyncAsync, "the leader converges", leader);
        await TakeoverMeasurement.UntilAsync(async () => await standby.RoleAsync() == "follower", "the standby is warm", standby);
        var hosts = (await rig.StateAsync(topology)).Hosts.Select(h => h.InstanceId).ToArray();

        foreach (var (via, name) in new[] { (leader, "through the leader"), (standby, "through the standby (forwarded)") })
        {
            var claims = new List<double>();
            var releases = new List<double>();
            for (var i = 0; i < sequential + 10; i++)
            {
                var clock = Stopwatch.StartNew();
                var block = await ClaimAsync(via, hosts[i % hosts.Length], $"ns-{i % 5}");
                var claimed = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                await ReleaseAsync(via, block);
                if (i >= 10)
                {
                    claims.Add(claimed);
                    releases.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            Console.WriteLine($"block claim {name}, one at a time ({sequential}, after 10 warm-up): {Summary(claims)}; release: {Summary(releases)}");
        }

        var answered = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(agent => Task.Run(async () =>
        {
            for (var i = 0; stop.Elapsed < concurrentFor; i++)
            {
                var via = (agent + i) % 2 == 0 ? leader : standby;
                var block = await ClaimAsync(via, hosts[agent % hosts.Length], $"ns-{agent % 5}");
                Interlocked.Increment(ref answered);
                await ReleaseAsync(via, block);
            }
        })));
        Console.WriteLine($"block claims, 16 agents at once through both replicas for {stop.Elapsed.TotalSeconds:0.0} s: {answered} claims and {answered} releases, " +
            $"{answered / stop.Elapsed.TotalSeconds:0} claims/s ({2 * answered / stop.Elapsed.TotalSeconds:0} durable writes/s)");
        return 0;
    }

    private static async Task<BlockClaim> ClaimAsync(ControllerProcess via, string host, string owner)
    {
        using var response = await via.Http.PostAsJsonAsync(new Uri($"v1/agents/{host}/blocks", UriKind.Relative), new BlockClaimRequest(owner), AgentSync.Json);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"claim for {host}/{owner} through {via.Caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<BlockClaim>(AgentSync.Json))!;
    }

    private static async Task ReleaseAsync(ControllerProcess via, BlockClaim block)
    {
        using var response = await via.Http.DeleteAsync(new Uri($"v1/agents/{block.InstanceId}/blocks/{block.Cidr}", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"release of {block.Cidr} through {via.Caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Summary(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return $"p50 {Stats.Percentile(sorted, 0.50):0.0} ms, p99 {Stats.Percentile(sorted, 0.99):0.0} ms";
    }
}
