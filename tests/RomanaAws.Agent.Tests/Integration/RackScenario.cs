using System.Net;
using System.Text.Json;
using RomanaAws.Agent.Bird;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Topology;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// A <see cref="RackLab"/> run as the product runs it: the topology read by the real reader, the hosts registered and
/// blocks claimed in the real IPAM, each node's desired state from the real <see cref="AgentStateIndex"/>, and the real
/// agent sync (routes, then BIRD) in every node namespace; one pod per node at its block's first address. Shared by the
/// tests and the benchmarks (benchmarks/RomanaAws.Benchmarks links it).
/// </summary>
internal sealed class RackScenario : IDisposable
{
    private readonly Action<string> _log;
    private readonly string _directory;
    private readonly CancellableLoop? _fib;
    private readonly List<HttpClient> _clients = [];

    private RackScenario(string topology, RouterKind kind, int detectSeconds, string directory, Action<string> log)
    {
        _log = log;
        _directory = directory;
        Topology = TopologyReader.Parse(topology, "rack-lab.yaml");
        Ipam = CoreIpam.Create(Topology);
        foreach (var host in RackHosts.Specs(Topology.Routing))
        {
            Ipam.AddHost(host);
        }

        Lab = new RackLab(directory);
        try
        {
            Lab.BuildRouters(kind, detectSeconds);
        }
        catch
        {
            // No scenario comes back to dispose: remove what the routers' build made (namespaces, FRR's run directories).
            Lab.Dispose();
            throw;
        }

        if (kind == RouterKind.GoBgp)
        {
            _fib = new CancellableLoop(() =>
            {
                Lab.SyncFib(1);
                Lab.SyncFib(2);
            });
        }
    }

    /// <summary>Five hosts in two racks, two groups per rack: rack 1's first group holds two hosts (node-1, node-3).</summary>
    public static string TopologyText(string routing) => $$"""
        cluster: dc.example
        networks:
          - name: pods
            cidr: 100.96.0.0/16
            blockMask: 26
        zones: [dc1]
        subnetsPerZone: 2
        groupsPerSubnet: 2
        routing:
        {{routing}}
          hosts:
            - { name: node-1, ip: {{RackLab.NodeIp(1, 1)}} }
            - { name: node-2, ip: {{RackLab.NodeIp(1, 2)}} }
            - { name: node-3, ip: {{RackLab.NodeIp(1, 3)}} }
            - { name: node-4, ip: {{RackLab.NodeIp(2, 4)}} }
            - { name: node-5, ip: {{RackLab.NodeIp(2, 5)}} }
        """;

    /// <summary>The <c>routing:</c> body of mode bgp: each rack's router as its one peer.</summary>
    public static string BgpRouting(int holdSeconds, bool bfd) => $$"""
          mode: bgp
          asn: {{RackLab.NodeAsn}}
          holdSeconds: {{holdSeconds}}
          racks:
            - name: rack-1
              cidr: {{RackLab.RackCidr(1)}}
              peers: [{ address: {{RackLab.RouterIp(1)}}, asn: {{RackLab.RouterAsn(1)}}, bfd: {{(bfd ? "true" : "false")}} }]
            - name: rack-2
              cidr: {{RackLab.RackCidr(2)}}
              peers: [{ address: {{RackLab.RouterIp(2)}}, asn: {{RackLab.RouterAsn(2)}}, bfd: {{(bfd ? "true" : "false")}} }]
        """;

    /// <summary>The <c>routing:</c> body of mode ospf (hello 1 s).</summary>
    public static string OspfRouting(int deadSeconds, bool bfd) => $$"""
          mode: ospf
          helloSeconds: 1
          deadSeconds: {{deadSeconds}}
          bfd: {{(bfd ? "true" : "false")}}
          racks:
            - { name: rack-1, cidr: {{RackLab.RackCidr(1)}} }
            - { name: rack-2, cidr: {{RackLab.RackCidr(2)}} }
        """;

    public TopologyConfig Topology { get; }

    public CoreIpam Ipam { get; }

    public RackLab Lab { get; }

    public Dictionary<int, string> Pods { get; } = [];

    public Dictionary<int, AgentSync> Agents { get; } = [];

    /// <summary>The lab with nodes 1–3 in rack 1 and 4–5 in rack 2 (the topology lists them), each agent synced once.</summary>
    public static async Task<RackScenario> StartAsync(string topology, RouterKind kind, int detectSeconds, string directory, Action<string> log)
    {
        var scenario = new RackScenario(topology, kind, detectSeconds, directory, log);
        try
        {
            for (var node = 1; node <= 5; node++)
            {
                await scenario.AddNodeAsync(node <= 3 ? 1 : 2, node, register: false);
            }
        }
        catch
        {
            scenario.Dispose();
            throw;
        }

        return scenario;
    }

    /// <summary>A node in a rack: registered (unless the topology listed it), a block claimed, its namespace and pod built, its agent synced.</summary>
    public async Task<HostPlacement> AddNodeAsync(int rack, int node, bool register = true)
    {
        var name = $"node-{node}";
        var placement = register
            ? Ipam.AddHost(new HostSpec(name, Topology.Routing.Racks[rack - 1].Zone, Topology.Routing.Racks[rack - 1].Name, IPAddress.Parse(RackLab.NodeIp(rack, node))))
            : Ipam.FindHost(name)!;
        Pods[node] = PodIp(Ipam.ClaimBlock(name, "default").Cidr);
        Lab.AddNode(rack, node, Pods[node]);
        var http = new HttpClient();
        _clients.Add(http);
        Agents[node] = new AgentSync(new AgentSource(null, Path.Combine(_directory, $"desired-{node}.json"), name), null, new LinuxKernel(new CommandRunner(Lab.Node(node))),
            new PolicyOptions(), http, TimeProvider.System, new BirdDaemon(new CommandRunner(Lab.Node(node)), Path.Combine(_directory, $"bird-{node}"), name));
        await SyncAsync(node);
        return placement;
    }

    public async Task<AgentStatus> SyncAsync(int node, bool full = true)
    {
        var desired = new AgentStateIndex(Ipam.ToDocument(), Topology.Routing).For($"node-{node}")!;
        await File.WriteAllTextAsync(Path.Combine(_directory, $"desired-{node}.json"), JsonSerializer.Serialize(desired, AgentSync.Json));
        var status = await Agents[node].SyncAsync(CancellationToken.None, full);
        _log($"node-{node}: {status.LastError ?? "synced"}");
        return status.LastError is null ? status : throw new InvalidOperationException($"node-{node}'s agent sync failed: {status.LastError}");
    }

    /// <summary>Group CIDR → its hosts' addresses, from the IPAM (non-empty groups only).</summary>
    public Dictionary<string, List<string>> Groups() =>
        Ipam.Hosts.SelectMany(h => Ipam.FindHost(h.InstanceId)!.Groups.Select(g => (Group: g.Cidr.ToString(), Ip: h.PrimaryIp.ToString())))
            .GroupBy(x => x.Group)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Ip).Order(StringComparer.Ordinal).ToList());

    /// <summary>Waits until router <paramref name="rack"/> has exactly one prefix per group: its own rack's hosts as next hops, or the other router.</summary>
    public void WaitForRib(int rack, TimeSpan timeout)
    {
        var expected = Groups().ToDictionary(
            g => g.Key,
            g => g.Value.All(ip => ip.StartsWith($"10.{rack}.", StringComparison.Ordinal)) ? g.Value : [$"10.0.0.{3 - rack}"]);
        IReadOnlyDictionary<string, IReadOnlySet<string>> rib = new Dictionary<string, IReadOnlySet<string>>();
        try
        {
            RackLab.Wait(() =>
            {
                rib = Lab.Rib(rack);
                return rib.Count == expected.Count && expected.All(e => rib.TryGetValue(e.Key, out var hops) && hops.SetEquals(e.Value));
            }, timeout, $"router {rack}'s routes never matched one prefix per group");
        }
        finally
        {
            _log($"router {rack}: {string.Join("; ", rib.Select(r => $"{r.Key} via {string.Join(", ", r.Value)}"))}");
        }
    }

    public static int NodeOf(string ip) => int.Parse(ip.Split('.')[3], System.Globalization.CultureInfo.InvariantCulture) - 10;

    private static string PodIp(Core.Net.Cidr block)
    {
        var bytes = block.NetworkAddress.GetAddressBytes();
        bytes[3]++;
        return new IPAddress(bytes).ToString();
    }

    public void Dispose()
    {
        _fib?.Dispose();
        Lab.Dispose();
        foreach (var http in _clients)
        {
            http.Dispose();
        }
    }
}
