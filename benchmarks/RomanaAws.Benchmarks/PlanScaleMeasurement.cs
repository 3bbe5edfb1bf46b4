using System.Diagnostics;
using System.Globalization;
using System.Text;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;

namespace RomanaAws.Benchmarks;

/// <summary>
/// How <c>romana-aws ipam plan --hosts</c> scales with the number of hosts (issue 10 #14): for each size, a generated
/// hosts file over a /8 pod network (3 zones × 4 subnets × 2 groups, /28 blocks), timed in process phase by phase
/// (read hosts file, place, plan) and, when the CLI's built assembly is given, end to end in a fresh
/// <c>dotnet romana-aws.dll</c> process (startup, parse, place, plan, render to a file).
/// </summary>
public static class PlanScaleMeasurement
{
    public static readonly int[] DefaultSizes = [10_000, 20_000, 50_000, 200_000];

    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    private const string TopologyYaml = """
        cluster: bench.k8s.local
        networks:
          - name: pods
            cidr: 10.0.0.0/8
            blockMask: 28
        zones:
          - name: us-east-1a
          - name: us-east-1b
          - name: us-east-1c
        subnetsPerZone: 4
        groupsPerSubnet: 2
        """;

    public static async Task<int> RunAsync(string? cliAssembly, IReadOnlyList<int> sizes)
    {
        var directory = Directory.CreateTempSubdirectory("romana-plan-");
        try
        {
            var topologyPath = Path.Combine(directory.FullName, "topology.yaml");
            await File.WriteAllTextAsync(topologyPath, TopologyYaml);
            var topology = TopologyReader.Parse(TopologyYaml, topologyPath);
            Console.WriteLine("hosts      read+parse   place      plan     in-process   CLI process (ipam plan, table output)");
            foreach (var size in sizes)
            {
                var hostsPath = Path.Combine(directory.FullName, $"hosts-{size}.yaml");
                await File.WriteAllTextAsync(hostsPath, HostsYaml(size));
                var clock = Stopwatch.StartNew();
                var hosts = HostListReader.Parse(await File.ReadAllTextAsync(hostsPath), hostsPath);
                var parse = clock.Elapsed;
                var ipam = Ipam.Create(topology);
                foreach (var host in hosts)
                {
                    ipam.AddHost(host);
                }

                var place = clock.Elapsed - parse;
                var plan = ipam.Plan();
                var total = clock.Elapsed;
                var planned = total - parse - place;
                if (plan.Hosts != size)
                {
                    throw new InvalidOperationException($"planned {plan.Hosts} hosts, expected {size}");
                }

                var cli = cliAssembly is null ? "not run (no CLI assembly given)" : $"{(await RunCliAsync(cliAssembly, topologyPath, hostsPath)).TotalSeconds:0.00} s";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{size,7:N0}   {parse.TotalMilliseconds,8:0} ms {place.TotalMilliseconds,7:0} ms {planned.TotalMilliseconds,6:0} ms {total.TotalMilliseconds,9:0} ms   {cli}"));
            }

            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Host i: zone i mod 3, one of that zone's 4 subnets, a unique IP in 172.16.0.0/12 (up to 1,048,575 hosts).</summary>
    public static string HostsYaml(int count)
    {
        var text = new StringBuilder("hosts:\n", count * 110);
        for (var i = 0; i < count; i++)
        {
            var zone = i % Zones.Length;
            var subnet = (zone * 4) + (i / Zones.Length % 4);
            var n = i + 1;
            text.Append(CultureInfo.InvariantCulture,
                $"  - {{instanceId: i-{n:x17}, zone: {Zones[zone]}, subnet: subnet-{subnet + 1:x17}, ip: 172.{16 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}}}\n");
        }

        return text.ToString();
    }

    private static async Task<TimeSpan> RunCliAsync(string cliAssembly, string topologyPath, string hostsPath)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cliAssembly, "ipam", "plan", "--config", topologyPath, "--hosts", hostsPath })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {cliAssembly}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"romana-aws ipam plan exited {process.ExitCode}: {await error}");
        }

        _ = await output;
        return elapsed;
    }
}
