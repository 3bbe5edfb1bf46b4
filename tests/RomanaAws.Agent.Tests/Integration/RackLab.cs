using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// Two racks out of network namespaces: each rack's top-of-rack router (<c>rt{r}</c>) holds the rack's bridge
/// (10.{r}.0.1/24) and runs an independent routing implementation: GoBGP accepting every host of the rack as a dynamic
/// neighbor (a BGP listen range, as ToRs are configured); the two routers peer with each other over 10.0.0.0/30. Node
/// namespaces hang off their rack's bridge with their default route to the router; one pod namespace per node.
/// GoBGP decides routes but programs no kernel (that is zebra's job): the lab copies its RIB into the router's kernel
/// every 100 ms (<see cref="SyncFib"/>), each prefix with all of its next hops (ECMP). The routers may run FRR instead
/// (<see cref="RouterKind"/>): ospfd, or bgpd with BFD; FRR's zebra programs their kernels itself.
/// Every address lives only inside these namespaces; dispose removes them and every process in them.
/// </summary>
internal sealed class RackLab : IDisposable
{
    public const long NodeAsn = 64512;

    private readonly string _id = Guid.NewGuid().ToString("N")[..5];
    private readonly List<string> _namespaces = [];
    private readonly string _directory;
    private readonly Dictionary<int, int> _rackOf = [];
    private readonly List<string> _frrRuns = [];

    public RackLab(string directory) => _directory = directory;

    public string Router(int rack) => $"rt{rack}-{_id}";

    public string Node(int node) => $"rn{node}-{_id}";

    public string Pod(int node) => $"rq{node}-{_id}";

    public static long RouterAsn(int rack) => 65000 + rack;

    public static string RouterIp(int rack) => $"10.{rack}.0.1";

    public static string NodeIp(int rack, int node) => $"10.{rack}.0.{10 + node}";

    public static string RackCidr(int rack) => $"10.{rack}.0.0/24";

    /// <summary>Why the lab cannot run here (not root, a tool missing), or null.</summary>
    public static string? Missing()
    {
        if (NetnsLab.Missing() is { } missing)
        {
            return missing;
        }

        var tools = new[] { "bird", "birdc", "gobgpd", "gobgp" }
            .Where(tool => !new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool)))).ToList();
        return tools.Count == 0 ? null : $"missing tools: {string.Join(", ", tools)} (scripts/test.sh installs bird2 and gobgpd as root)";
    }

    /// <summary>Which implementation the routers run (set by <see cref="BuildRouters"/>).</summary>
    public RouterKind Kind { get; private set; }

    /// <summary>
    /// Both routers, their bridges and their link; then the routing daemons: GoBGP, or FRR (ospfd, or bgpd with bfdd),
    /// with <paramref name="detectSeconds"/> as BGP hold time or OSPF dead interval towards the hosts.
    /// </summary>
    public void BuildRouters(RouterKind kind, int detectSeconds)
    {
        Kind = kind;
        for (var rack = 1; rack <= 2; rack++)
        {
            var router = Router(rack);
            Add(router);
            Sh($"ip -n {router} link set lo up && ip -n {router} link add br0 type bridge && ip -n {router} link set br0 up && ip -n {router} addr add {RouterIp(rack)}/24 dev br0");
            Sh($"ip netns exec {router} sysctl -qw net.ipv4.ip_forward=1");
        }

        Sh($"ip link add x1{_id} netns {Router(1)} type veth peer name x2{_id} netns {Router(2)}");
        for (var rack = 1; rack <= 2; rack++)
        {
            Sh($"ip -n {Router(rack)} addr add 10.0.0.{rack}/30 dev x{rack}{_id} && ip -n {Router(rack)} link set x{rack}{_id} up");
            if (kind == RouterKind.GoBgp)
            {
                var config = Path.Combine(_directory, $"gobgpd-{rack}.toml");
                File.WriteAllText(config, GoBgpConfig(rack, detectSeconds));
                Background($"ip netns exec {Router(rack)} gobgpd -f {config} -t toml --log-level=warn > {Path.Combine(_directory, $"gobgpd-{rack}.log")} 2>&1");
            }
            else
            {
                StartFrr(rack, kind == RouterKind.FrrOspf ? FrrOspfConfig(rack, detectSeconds) : FrrBgpConfig(rack, detectSeconds));
            }
        }

        for (var rack = 1; rack <= 2; rack++)
        {
            var check = kind == RouterKind.GoBgp ? $"ip netns exec {Router(rack)} gobgp global" : $"vtysh -N {Router(rack)} -c 'show ip route json'";
            Wait(() => Run(check).Ok, TimeSpan.FromSeconds(15), $"the routing daemons in {Router(rack)} did not start");
        }
    }

    /// <summary>FRR's daemons in the router's namespace, with their own path space (sockets in /run/frr/NAME, run as user frr).</summary>
    private void StartFrr(int rack, string config)
    {
        var router = Router(rack);
        var directory = Path.Combine(_directory, $"frr-{rack}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "frr.conf"), config);
        // FRR drops to user frr: it must reach its directory (the test's temporary directory is 0700).
        _frrRuns.Add($"/run/frr/{router}");
        Sh($"chmod 755 {_directory} && mkdir -p /run/frr/{router} && chown frr:frr /run/frr/{router} {directory} {directory}/frr.conf");
        var daemons = Kind == RouterKind.FrrOspf ? new[] { "zebra", "ospfd" } : ["zebra", "bfdd", "bgpd"];
        foreach (var daemon in daemons)
        {
            Sh($"ip netns exec {router} /usr/lib/frr/{daemon} -d -N {router} -f {directory}/frr.conf -i {directory}/{daemon}.pid --log file:{directory}/{daemon}.log");
        }
    }

    /// <summary>A node on its rack's bridge, default route via the router, and one pod behind it at <paramref name="podIp"/>.</summary>
    public void AddNode(int rack, int node, string podIp)
    {
        _rackOf[node] = rack;
        Add(Node(node));
        Add(Pod(node));
        Sh($"ip link add n{node}{_id} netns {Node(node)} type veth peer name b{node}{_id} netns {Router(rack)}");
        Sh($"ip -n {Router(rack)} link set b{node}{_id} master br0 up");
        Sh($"ip -n {Node(node)} link set lo up && ip -n {Node(node)} link set n{node}{_id} name eth0 && ip -n {Node(node)} addr add {NodeIp(rack, node)}/24 dev eth0 && ip -n {Node(node)} link set eth0 up");
        Sh($"ip -n {Node(node)} route add default via {RouterIp(rack)}");
        Sh($"ip link add p{node}{_id} netns {Pod(node)} type veth peer name v{node}{_id} netns {Node(node)}");
        Sh($"ip -n {Pod(node)} link set lo up && ip -n {Pod(node)} link set p{node}{_id} name eth0 && ip -n {Pod(node)} addr add {podIp}/32 dev eth0 && ip -n {Pod(node)} link set eth0 up");
        Sh($"ip -n {Pod(node)} route add 169.254.1.1 dev eth0 && ip -n {Pod(node)} route add default via 169.254.1.1 dev eth0");
        Sh($"ip -n {Node(node)} link set v{node}{_id} up && ip -n {Node(node)} addr add 169.254.1.1/32 dev v{node}{_id} && ip -n {Node(node)} route add {podIp}/32 dev v{node}{_id}");
    }

    /// <summary>The host dies: every process in it (BIRD) is killed and its link goes down, so no NOTIFICATION or FIN ever reaches the router.</summary>
    public void KillNode(int node)
    {
        Sh($"ip -n {Node(node)} link set eth0 down");
        Run($"ip netns pids {Node(node)} | xargs -r kill -9");
    }

    /// <summary>
    /// The router's routes for the pod network: prefix → next hops. GoBGP: every path of <c>gobgp global rib -j</c>.
    /// FRR: the selected routes of <c>vtysh -c 'show ip route json'</c> learned by OSPF or BGP (with all their ECMP next hops).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Rib(int rack)
    {
        var rib = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (Kind != RouterKind.GoBgp)
        {
            using var routes = JsonDocument.Parse(Sh($"vtysh -N {Router(rack)} -c 'show ip route json'"));
            foreach (var prefix in routes.RootElement.EnumerateObject())
            {
                foreach (var route in prefix.Value.EnumerateArray().Where(r => r.GetProperty("protocol").GetString() is "ospf" or "bgp" && r.TryGetProperty("selected", out var s) && s.GetBoolean()))
                {
                    var hops = new SortedSet<string>(StringComparer.Ordinal);
                    foreach (var hop in route.GetProperty("nexthops").EnumerateArray().Where(h => h.TryGetProperty("ip", out _) && h.TryGetProperty("active", out var a) && a.GetBoolean()))
                    {
                        hops.Add(hop.GetProperty("ip").GetString()!);
                    }

                    if (hops.Count > 0 && !prefix.Name.StartsWith("10.", StringComparison.Ordinal))
                    {
                        rib[prefix.Name] = hops;
                    }
                }
            }

            return rib;
        }

        var json = Sh($"ip netns exec {Router(rack)} gobgp global rib -j");
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        foreach (var prefix in document.RootElement.EnumerateObject())
        {
            var hops = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var path in prefix.Value.EnumerateArray())
            {
                foreach (var attribute in path.GetProperty("attrs").EnumerateArray())
                {
                    if (attribute.GetProperty("type").GetInt32() == 3)
                    {
                        hops.Add(attribute.GetProperty("nexthop").GetString()!);
                    }
                }
            }

            rib[prefix.Name] = hops;
        }

        return rib;
    }

    /// <summary>Copies the router's RIB into its kernel: what zebra would do for a routing daemon. Routes marked proto bgp, so only those are replaced or removed.</summary>
    public void SyncFib(int rack)
    {
        var rib = Rib(rack);
        var batch = new StringBuilder();
        foreach (var (prefix, hops) in rib)
        {
            batch.Append(CultureInfo.InvariantCulture, $"route replace {prefix} proto bgp {string.Join(' ', hops.Select(h => $"nexthop via {h}"))}\n");
        }

        using var installed = JsonDocument.Parse(Sh($"ip -n {Router(rack)} -j route show proto bgp"));
        foreach (var route in installed.RootElement.EnumerateArray())
        {
            var destination = route.GetProperty("dst").GetString()!;
            if (!rib.ContainsKey(destination))
            {
                batch.Append(CultureInfo.InvariantCulture, $"route del {destination} proto bgp\n");
            }
        }

        if (batch.Length > 0)
        {
            var file = Path.Combine(_directory, $"fib-{rack}.batch");
            File.WriteAllText(file, batch.ToString());
            Run($"ip -n {Router(rack)} -force -batch {file}");
        }
    }

    /// <summary>The next hop router <paramref name="rack"/> forwards a packet from <paramref name="source"/> to <paramref name="destination"/> to (its ECMP hash), arriving from the other router.</summary>
    public string NextHop(int rack, string destination, string source)
    {
        using var route = JsonDocument.Parse(Sh($"ip -n {Router(rack)} -j route get {destination} from {source} iif x{rack}{_id}"));
        return route.RootElement[0].GetProperty("gateway").GetString()!;
    }

    /// <summary>FRR routers: whether the router's BFD session with <paramref name="peer"/> is up (<c>show bfd peers json</c>).</summary>
    public bool BfdUp(int rack, string peer)
    {
        using var peers = JsonDocument.Parse(Sh($"vtysh -N {Router(rack)} -c 'show bfd peers json'"));
        return peers.RootElement.EnumerateArray().Any(p => p.GetProperty("peer").GetString() == peer && p.GetProperty("status").GetString() == "up");
    }

    public bool Ping(int from, string to) => Run($"ip netns exec {Pod(from)} ping -c 1 -W 1 {to}").Ok;

    public static void Wait(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{failure} (waited {timeout.TotalSeconds:0.#} s)");
            }

            Thread.Yield();
        }
    }

    private string FrrOspfConfig(int rack, int deadSeconds) => $"""
        frr defaults datacenter
        hostname tor{rack}
        interface br0
         ip ospf hello-interval 1
         ip ospf dead-interval {deadSeconds}
        interface x{rack}{_id}
         ip ospf network point-to-point
         ip ospf hello-interval 1
         ip ospf dead-interval 3
        router ospf
         ospf router-id {RouterIp(rack)}
         network {RackCidr(rack)} area 0.0.0.{rack}
         network 10.0.0.0/30 area 0
         timers throttle spf 0 50 1000
         maximum-paths 16
        """;

    private static string FrrBgpConfig(int rack, int holdSeconds) => $"""
        frr defaults datacenter
        hostname tor{rack}
        bfd
         profile romana
          receive-interval 100
          transmit-interval 100
          detect-multiplier 3
        router bgp {RouterAsn(rack)}
         bgp router-id {RouterIp(rack)}
         no bgp ebgp-requires-policy
         bgp bestpath as-path multipath-relax
         neighbor rack peer-group
         neighbor rack remote-as {NodeAsn}
         neighbor rack timers {Math.Max(1, holdSeconds / 3)} {holdSeconds}
         neighbor rack bfd profile romana
         bgp listen range {RackCidr(rack)} peer-group rack
         neighbor 10.0.0.{3 - rack} remote-as {RouterAsn(3 - rack)}
         neighbor 10.0.0.{3 - rack} timers 1 3
         address-family ipv4 unicast
          maximum-paths 16
         exit-address-family
        """;

    private static string GoBgpConfig(int rack, int holdSeconds)
    {
        var other = 3 - rack;
        var hold = holdSeconds.ToString(CultureInfo.InvariantCulture);
        var keepalive = Math.Max(1, holdSeconds / 3).ToString(CultureInfo.InvariantCulture);
        return $"""
            [global.config]
              as = {RouterAsn(rack)}
              router-id = "{RouterIp(rack)}"
            [global.use-multiple-paths.config]
              enabled = true

            [[neighbors]]
              [neighbors.config]
                neighbor-address = "10.0.0.{other}"
                peer-as = {RouterAsn(other)}
              [neighbors.timers.config]
                hold-time = {hold}
                keepalive-interval = {keepalive}
                connect-retry = 1
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"

            [[peer-groups]]
              [peer-groups.config]
                peer-group-name = "rack"
                peer-as = {NodeAsn}
              [peer-groups.timers.config]
                hold-time = {hold}
                keepalive-interval = {keepalive}
              [[peer-groups.afi-safis]]
                [peer-groups.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"

            [[dynamic-neighbors]]
              [dynamic-neighbors.config]
                prefix = "{RackCidr(rack)}"
                peer-group = "rack"
            """;
    }

    private static void Background(string command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("setsid", ["sh", "-c", command]) { RedirectStandardOutput = false })!;
    }

    private static string Sh(string command) => NetnsLab.Sh(command);

    private static (int ExitCode, string Output, string Error, bool Ok) Run(string command) => NetnsLab.Run(command);

    private void Add(string name)
    {
        Sh($"ip netns add {name}");
        _namespaces.Add(name);
    }

    public void Dispose()
    {
        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            Run($"ip netns pids {name} | xargs -r kill -9; ip netns del {name}");
        }

        foreach (var run in _frrRuns)
        {
            Run($"rm -rf {run}");
        }
    }
}
