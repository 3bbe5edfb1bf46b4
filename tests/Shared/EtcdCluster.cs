using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RomanaAws.Tests.Shared;

/// <summary>
/// A real etcd cluster (Debian's etcd-server) on loopback ports, started by the test and removed with it: N members,
/// each its own process and data directory. Members can be killed (SIGKILL), stopped (SIGSTOP) and restarted, to lose
/// one member or the majority. <see cref="Missing"/> says why it cannot run here (no etcd binary).
/// </summary>
internal sealed class EtcdCluster : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-etcd-").FullName;
    private readonly Member[] _members;

    private EtcdCluster(int size)
    {
        var token = $"romana-test-{Guid.NewGuid():N}";
        _members = Enumerable.Range(1, size).Select(i => new Member($"m{i}", FreePort(), FreePort())).ToArray();
        var initial = string.Join(",", _members.Select(m => $"{m.Name}=http://127.0.0.1:{m.PeerPort}"));
        foreach (var m in _members)
        {
            m.Arguments =
                $"--name {m.Name} --data-dir {Path.Combine(_directory, m.Name)} " +
                $"--listen-client-urls http://127.0.0.1:{m.ClientPort} --advertise-client-urls http://127.0.0.1:{m.ClientPort} " +
                $"--listen-peer-urls http://127.0.0.1:{m.PeerPort} --initial-advertise-peer-urls http://127.0.0.1:{m.PeerPort} " +
                $"--initial-cluster {initial} --initial-cluster-state new --initial-cluster-token {token} " +
                "--heartbeat-interval 100 --election-timeout 1000 --max-txn-ops 128 --log-level error --logger zap";
        }
    }

    public static string Binary => File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";

    public IReadOnlyList<Uri> Endpoints => _members.Select(m => new Uri($"http://127.0.0.1:{m.ClientPort}")).ToList();

    /// <summary>Why no etcd can be started here, or null.</summary>
    public static string? Missing() => File.Exists("/usr/bin/etcd") ? null : "etcd is not installed (Debian package etcd-server; scripts/test.sh installs it)";

    public static async Task<EtcdCluster> StartAsync(int size = 3)
    {
        var cluster = new EtcdCluster(size);
        foreach (var m in cluster._members)
        {
            Start(m);
        }

        await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        return cluster;
    }

    public Uri Endpoint(int member) => Endpoints[member];

    /// <summary>SIGKILL one member (index from 0).</summary>
    public void Kill(int member)
    {
        var m = _members[member];
        if (m.Process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    /// <summary>Starts a killed member again with its data (it rejoins the cluster).</summary>
    public void Restart(int member) => Start(_members[member]);

    /// <summary>Waits until every running member answers its health endpoint.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        foreach (var m in _members.Where(m => m.Process is { HasExited: false }))
        {
            while (true)
            {
                try
                {
                    var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{m.ClientPort}/health"));
                    if (body.Contains("\"true\"", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }

                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"etcd member {m.Name} not healthy within {timeout.TotalSeconds:0} s");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }
    }

    private static void Start(Member m)
    {
        var info = new ProcessStartInfo(Binary, m.Arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        m.Process = Process.Start(info)!;
        m.Process.ErrorDataReceived += (_, _) => { };
        m.Process.OutputDataReceived += (_, _) => { };
        m.Process.BeginErrorReadLine();
        m.Process.BeginOutputReadLine();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var m in _members)
        {
            if (m.Process is { HasExited: false } p)
            {
                p.Kill();
                p.WaitForExit();
            }

            m.Process?.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private sealed class Member(string name, int clientPort, int peerPort)
    {
        public string Name { get; } = name;

        public int ClientPort { get; } = clientPort;

        public int PeerPort { get; } = peerPort;

        public string Arguments { get; set; } = "";

        public Process? Process { get; set; }
    }
}
