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

    /// <summary>
    /// Starts the members and waits until each answers healthy. The ports are free when chosen but not held, so another
    /// process can take one before etcd binds it: a member that exits while the cluster starts (its error says why)
    /// makes a new cluster on new ports, up to three times. A cluster that does not start is removed before the error.
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(int size = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            var cluster = new EtcdCluster(size);
            foreach (var m in cluster._members)
            {
                Start(m);
            }

            try
            {
                await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(30));
                return cluster;
            }
            catch (Exception ex)
            {
                var memberExited = cluster._members.Any(m => m.Process!.HasExited);
                await cluster.DisposeAsync(); // never leave members running (they would outlive the test run)
                if (ex is not TimeoutException || attempt >= 3 || !memberExited)
                {
                    throw;
                }
            }
        }
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

                if (deadline.Elapsed > timeout || m.Process!.HasExited)
                {
                    var why = m.Process!.HasExited ? $"exited ({m.Process.ExitCode}): {string.Join(" | ", m.Errors.TakeLast(5))}" : $"not healthy within {timeout.TotalSeconds:0} s";
                    throw new TimeoutException($"etcd member {m.Name} (client port {m.ClientPort}, peer port {m.PeerPort}) {why}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
            }
        }
    }

    private static void Start(Member m)
    {
        var info = new ProcessStartInfo(Binary, m.Arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        m.Process = Process.Start(info)!;
        m.Errors.Clear();
        m.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                m.Errors.Enqueue(line);
                while (m.Errors.Count > 20 && m.Errors.TryDequeue(out string? _))
                {
                }
            }
        };
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

        /// <summary>The last lines it wrote to stderr (why it exited, when it did).</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();
    }
}
