using System.Net;
using System.Net.Sockets;
using System.Text;
using RomanaAws.Agent.Tests.Policy;
using RomanaAws.Lab.Build;

namespace RomanaAws.Agent.Tests.Integration;

/// <summary>
/// The e2e world in real kernels: a host namespace per e2e namespace (x, y, z) on one bridge, three pod namespaces
/// (a, b, c) behind each, at the addresses of <see cref="NetpolWorld"/>; every pod serves TCP and UDP on 80 and 81,
/// answering its own name. Probes are packets from inside the pods (sockets opened there), and a probe counts only
/// when the intended pod answers. Everything lives in namespaces the lab made and is removed on dispose.
/// </summary>
internal sealed class NetpolLab : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..4];
    private readonly List<string> _namespaces = [];
    private readonly List<Socket> _servers = [];
    private readonly CancellationTokenSource _stop = new();

    public NetpolLab(NetpolWorld world) => World = world;

    public NetpolWorld World { get; }

    public string Host(int n) => $"rnh{n}-{_id}";

    public string PodNetns(string key) => $"rnp-{key.Replace('/', '-')}-{_id}";

    public static string HostIp(int n) => $"172.31.1.{11 + n}";

    public void Build()
    {
        var bridge = $"rns-{_id}";
        Add(bridge);
        NetnsLab.Sh($"ip -n {bridge} link add br0 type bridge && ip -n {bridge} link set br0 up");
        for (var n = 0; n < NetpolWorld.NamespaceNames.Length; n++)
        {
            Add(Host(n));
            NetnsLab.Sh($"ip link add e{n}{_id} netns {Host(n)} type veth peer name s{n}{_id} netns {bridge} && ip -n {bridge} link set s{n}{_id} master br0 up");
            NetnsLab.Sh($"ip -n {Host(n)} link set e{n}{_id} name eth0 && ip -n {Host(n)} addr add {HostIp(n)}/24 dev eth0 && ip -n {Host(n)} link set eth0 up && ip -n {Host(n)} link set lo up");
            foreach (var pod in World.Cluster.Pods.Where(p => p.Namespace == NetpolWorld.NamespaceNames[n]))
            {
                var netns = PodNetns(pod.Key);
                var veth = $"v{pod.Namespace}{pod.Name}{_id}";
                Add(netns);
                NetnsLab.Sh($"ip link add p{_id} netns {netns} type veth peer name {veth} netns {Host(n)}");
                NetnsLab.Sh($"ip -n {netns} link set p{_id} name eth0 && ip -n {netns} addr add {pod.Address} dev eth0 && ip -n {netns} link set eth0 up && ip -n {netns} link set lo up");
                NetnsLab.Sh($"ip -n {netns} route add 169.254.1.1 dev eth0 && ip -n {netns} route add default via 169.254.1.1 dev eth0");
                NetnsLab.Sh($"ip -n {Host(n)} link set {veth} up && ip -n {Host(n)} addr add 169.254.1.1/32 dev {veth} && ip -n {Host(n)} route add {pod.Address} dev {veth}");
                foreach (var (protocol, port) in NetpolWorld.Ports)
                {
                    Serve(pod.Key, pod.Address.NetworkAddress, protocol, port);
                }
            }
        }
    }

    /// <summary>Every pod-to-pod probe (TCP and UDP, 80 and 81) that the intended server answered.</summary>
    public async Task<HashSet<Probe>> ProbeAsync(TimeSpan timeout)
    {
        var pods = World.Cluster.Pods;
        var probes = (from src in pods from dst in pods where src != dst from port in NetpolWorld.Ports select new Probe(src.Key, dst.Key, port.Protocol, port.Port)).ToList();
        var answered = await Task.WhenAll(probes.Select(p => ProbeAsync(p, timeout)));
        return [.. probes.Where((_, i) => answered[i])];
    }

    private async Task<bool> ProbeAsync(Probe probe, TimeSpan timeout)
    {
        var udp = probe.Protocol == "UDP";
        using var socket = NetnsSockets.Open(PodNetns(probe.From), udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp, 1)[0];
        using var deadline = new CancellationTokenSource(timeout);
        var target = new IPEndPoint(World.Pod(probe.To).Address.NetworkAddress, probe.Port);
        var buffer = new byte[64];
        try
        {
            if (udp)
            {
                for (var attempt = 0; attempt < 3 && !deadline.IsCancellationRequested; attempt++)
                {
                    await socket.SendToAsync("probe"u8.ToArray(), SocketFlags.None, target, deadline.Token);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    wait.CancelAfter(timeout / 3);
                    try
                    {
                        var got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                        return Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes) == probe.To;
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                    }
                }

                return false;
            }

            await socket.ConnectAsync(target, deadline.Token);
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.ASCII.GetString(buffer, 0, length) == probe.To;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Serve(string pod, IPAddress address, string protocol, int port)
    {
        var udp = protocol == "UDP";
        var socket = NetnsSockets.Open(PodNetns(pod), udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp, 1)[0];
        socket.Bind(new IPEndPoint(address, port));
        _servers.Add(socket);
        var name = Encoding.ASCII.GetBytes(pod);
        if (udp)
        {
            _ = Task.Run(async () =>
            {
                var buffer = new byte[64];
                while (!_stop.IsCancellationRequested)
                {
                    var got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    await socket.SendToAsync(name, SocketFlags.None, got.RemoteEndPoint, _stop.Token);
                }
            });
            return;
        }

        socket.Listen(64);
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await socket.AcceptAsync(_stop.Token);
                await client.SendAsync(name, SocketFlags.None, _stop.Token);
                client.Shutdown(SocketShutdown.Both);
            }
        });
    }

    private void Add(string name)
    {
        NetnsLab.Sh($"ip netns add {name}");
        _namespaces.Add(name);
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var socket in _servers)
        {
            socket.Dispose();
        }

        foreach (var name in _namespaces)
        {
            NetnsLab.Run($"ip netns pids {name} | xargs -r kill; ip netns del {name}");
        }

        _stop.Dispose();
    }
}
