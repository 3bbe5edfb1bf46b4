using System.Diagnostics;

namespace RomanaAws.Lab.Build;

/// <summary>
/// A node's own containerd (with runc), started inside the node's network namespace with its root, state and sockets
/// under the node's lab directory, the pod image imported. Pods are made as the kubelet's CRI makes them: a network
/// namespace, the CNI ADD into it (see <see cref="LabCluster"/>), then the pod's container started by containerd in
/// that namespace (<c>ctr run --with-ns network:…</c>). The lab's cleanup removes containers by namespace.
/// </summary>
public sealed class NodeContainerd
{
    /// <summary>containerd's own namespace for the lab's containers (so runc's state is /run/containerd/runc/rlab/…).</summary>
    public const string CtrNamespace = "rlab";

    public const string Image = "docker.io/rcni/busybox:1";

    private readonly string _socket;

    private NodeContainerd(string socket) => _socket = socket;

    public static async Task<NodeContainerd> StartAsync(string instanceId, string imageArchive, Func<string, string, IReadOnlyList<string>, LabProcess> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var dir = Path.Combine(LabNames.RunDirectory, instanceId, "containerd");
        Directory.CreateDirectory(dir);
        var socket = Path.Combine(dir, "containerd.sock");
        var config = Path.Combine(dir, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{dir}/root"
            state = "{dir}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{socket}"
            [ttrpc]
              address = "{socket}.ttrpc"
            """, cancellationToken);
        var process = start(LabNames.Node(instanceId), $"containerd-{instanceId}", ["containerd", "--config", config]);
        var node = new NodeContainerd(socket);
        var clock = Stopwatch.StartNew();
        while (!node.TryCtr("version"))
        {
            if (process.Exited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new LabException($"containerd of {instanceId} did not answer within 60 s; see {process.Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        node.Ctr("images", "import", "--snapshotter", "native", imageArchive);
        return node;
    }

    /// <summary>Starts the pod's container in its (already wired) network namespace: pod-echo answering with the pod's name.</summary>
    public void Run(string pod) =>
        Ctr("run", "-d", "--null-io", "--snapshotter", "native", "--with-ns", $"network:/run/netns/{pod}", Image, pod, "/bin/pod-echo", Scenarios.Reach.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), pod);

    private string Ctr(params string[] args) => Shell.Run("ctr", ["--address", _socket, "-n", CtrNamespace, .. args], null);

    private bool TryCtr(params string[] args)
    {
        try
        {
            Ctr(args);
            return true;
        }
        catch (LabException)
        {
            return false;
        }
    }
}
