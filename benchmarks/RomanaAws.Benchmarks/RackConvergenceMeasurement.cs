using System.Diagnostics;
using System.Globalization;
using System.Net;
using RomanaAws.Agent.Tests.Integration;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Routing modes bgp and ospf (issue 16), measured in the two-rack lab the tests use (tests/…/Integration/RackLab.cs):
/// convergence after a host dies, from the first lost to the first delivered packet of a pod flow that crossed the
/// dead host (ping every 10 ms from rack 2's pods to rack 1's group of two), with and without BFD, against GoBGP and
/// FRR routers; then the prefixes a router holds for 5,000 hosts (the real IPAM and advertisement planner), beside
/// per-block and per-pod announcement.
/// </summary>
public static class RackConvergenceMeasurement
{
    private const int Detect = 3;

    public static async Task<int> RunAsync(int trials)
    {
        var cases = new (string Name, RouterKind Kind, string Routing)[]
        {
            ("GoBGP, hold 3 s (GoBGP has no BFD)", RouterKind.GoBgp, RackScenario.BgpRouting(Detect, bfd: false)),
            ("FRR bgpd, hold 3 s, no BFD", RouterKind.FrrBgp, RackScenario.BgpRouting(Detect, bfd: false)),
            ("FRR bgpd, hold 3 s, BFD 100 ms × 3", RouterKind.FrrBgp, RackScenario.BgpRouting(Detect, bfd: true)),
            ("FRR ospfd, dead 3 s, no BFD", RouterKind.FrrOspf, RackScenario.OspfRouting(Detect, bfd: false)),
        };
        foreach (var (name, kind, routing) in cases)
        {
            var outages = new List<double>();
            for (var trial = 0; trial < trials; trial++)
            {
                if (await TrialAsync(kind, routing) is { } outage)
                {
                    outages.Add(outage);
                }
            }

            var sorted = outages.Order().ToList();
            Console.WriteLine(sorted.Count == 0
                ? $"{name}: no trial had a flow through the dead host"
                : $"{name}: outage median {Stats.Median(sorted):0} ms, max {sorted[^1]:0} ms over {sorted.Count} trial(s) ({string.Join(", ", sorted.Select(o => o.ToString("0", CultureInfo.InvariantCulture)))})");
        }

        Prefixes(5000);
        return 0;
    }

    /// <summary>One trial on a fresh lab; the outage in ms of the first flow from rack 2 that the router sent through the victim.</summary>
    private static async Task<double?> TrialAsync(RouterKind kind, string routing)
    {
        var directory = Directory.CreateTempSubdirectory("romana-rack-bench-").FullName;
        try
        {
            using var scenario = await RackScenario.StartAsync(RackScenario.TopologyText(routing), kind, Detect, directory, _ => { });
            scenario.WaitForRib(1, TimeSpan.FromSeconds(60));
            scenario.WaitForRib(2, TimeSpan.FromSeconds(60));
            var pair = scenario.Groups().First(g => g.Value.Count == 2).Value.Select(ip => RackScenario.NodeOf(ip)).ToList();
            foreach (var source in new[] { 4, 5 })
            {
                foreach (var target in pair)
                {
                    var via = RackScenario.NodeOf(scenario.Lab.NextHop(1, scenario.Pods[target], scenario.Pods[source]));
                    if (via != target)
                    {
                        // The flow must work before the kill (the routers' kernels may lag their RIBs by a moment).
                        RackLab.Wait(() => scenario.Lab.Ping(source, scenario.Pods[target]), TimeSpan.FromSeconds(10), $"pod {source} → pod {target} never worked");
                        if (routing.Contains("bfd: true", StringComparison.Ordinal))
                        {
                            // BFD comes up after the BGP session: a host killed before it is found by the hold timer only.
                            RackLab.Wait(() => scenario.Lab.BfdUp(1, RackLab.NodeIp(1, via)), TimeSpan.FromSeconds(20), $"no BFD session with node-{via}");
                        }

                        return Outage(scenario, source, target, victim: via);
                    }
                }
            }

            return null;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Pings every 10 ms from the source pod to the target pod, kills the victim a second in, and returns the gap between the last reply before and the first after, less one interval.</summary>
    private static double? Outage(RackScenario scenario, int source, int target, int victim)
    {
        using var ping = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", scenario.Lab.Pod(source), "ping", "-D", "-i", "0.01", "-W", "1", "-w", (Detect + 5).ToString(CultureInfo.InvariantCulture), scenario.Pods[target]])
        {
            RedirectStandardOutput = true,
        })!;
        var replies = new List<double>();
        var reader = Task.Run(() =>
        {
            while (ping.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith('[') && line.Contains("bytes from", StringComparison.Ordinal))
                {
                    replies.Add(double.Parse(line[1..line.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
                }
            }
        });
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            Thread.Yield();
        }

        scenario.Lab.KillNode(victim);
        ping.WaitForExit();
        reader.Wait();
        var gaps = replies.Zip(replies.Skip(1), (a, b) => (b - a) * 1000).ToList();
        return gaps.Count == 0 ? null : Math.Max(0, gaps.Max() - 10);
    }

    /// <summary>5,000 hosts in 4 zones × 8 racks, 8 groups per rack, two /26 blocks each: what the routers hold.</summary>
    private static void Prefixes(int hosts)
    {
        var racks = Enumerable.Range(0, 32).Select(r => $"    - {{ name: rack-{r}, cidr: 10.{r}.0.0/16, zone: z{r / 8} }}").ToList();
        var topology = TopologyReader.Parse($$"""
            cluster: dc.example
            networks: [{ name: pods, cidr: 100.64.0.0/10, blockMask: 26 }]
            zones: [z0, z1, z2, z3]
            subnetsPerZone: 8
            groupsPerSubnet: 8
            routeLimit: 1000
            routing:
              mode: ospf
              racks:
            {{string.Join('\n', racks)}}
            """, "bench.yaml");
        var ipam = Ipam.Create(topology);
        var clock = Stopwatch.StartNew();
        for (var h = 0; h < hosts; h++)
        {
            var rack = topology.Routing.Racks[h % 32];
            var name = $"node-{h}";
            ipam.AddHost(new HostSpec(name, rack.Zone, rack.Name, IPAddress.Parse($"10.{h % 32}.{h / 32 / 250}.{(h / 32 % 250) + 1}")));
            ipam.ClaimBlock(name, "default");
            ipam.ClaimBlock(name, "shop");
        }

        var index = new AgentStateIndex(ipam.ToDocument(), topology.Routing);
        var advertised = ipam.Hosts.SelectMany(h => index.For(h.InstanceId)!.Ospf!.Prefixes).Distinct().Count();
        var groups = ipam.Plan().Routes.Count;
        Console.WriteLine($"{hosts} hosts in 32 racks (8 groups each): {advertised} prefixes at the router = {groups} non-empty groups; " +
            $"per-block announcement (advertiseBlocks, Calico's per-block routes) would be {advertised + (2 * hosts)}; per pod (/32s, 2 blocks × 64 pods per host full) {hosts * 128}; planned and indexed in {clock.ElapsedMilliseconds} ms");
    }
}
