using Microsoft.AspNetCore.Builder;
using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Service;
using RomanaAws.CniProtocol;

namespace RomanaAws.Agent.Cni;

/// <summary>
/// The agent's CNI side on one node: restores the checkpoint (dropping containers that are gone), serves the plugin
/// on its socket, takes the node's blocks from every sync, reclaims leaked addresses, and writes the conflist once it
/// can serve ADDs, so the runtime (and the node's Ready condition) never sees the network before it works.
/// </summary>
public sealed class CniNode : IAsyncDisposable
{
    private readonly CniNodeOptions _options;
    private readonly LinuxKernel _kernel;
    private readonly TimeProvider _time;
    private readonly LeakSweep _sweep;
    private readonly BlockKeeper? _keeper;
    private WebApplication? _socket;

    private CniNode(CniNodeOptions options, LinuxKernel kernel, TimeProvider time, PodAddressService addresses, BlockKeeper? keeper)
    {
        _keeper = keeper;
        _options = options;
        _kernel = kernel;
        _time = time;
        _sweep = new LeakSweep(options.LeakGrace);
        Addresses = addresses;
    }

    public PodAddressService Addresses { get; }

    /// <summary>Where the conflist was written (null until ready).</summary>
    public string? ConflistPath { get; private set; }

    /// <param name="controller">The controller's block API (null when the desired state comes from a file: no claims).</param>
    public static async Task<CniNode> StartAsync(
        CniNodeOptions options, LinuxKernel kernel, Func<AgentStatus> status, TimeProvider time, CancellationToken cancellationToken, ControllerBlocksClient? controller = null,
        Kubernetes.PodOwnerLookup? owners = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(status);
        var links = await kernel.LinkNamesAsync(cancellationToken);
        var addresses = new PodAddressService(new CheckpointFile(options.CheckpointPath), [], a => IsAlive(a, links));
        var keeper = controller is null ? null : new BlockKeeper(addresses, controller, new BlockDemand(), time);
        var node = new CniNode(options, kernel, time, addresses, keeper);
        node._socket = await CniSocketHost.StartAsync(options.SocketPath, addresses, () => node.Status(status()), cancellationToken, keeper is null ? null : keeper.ClaimNowAsync, owners is null ? null : owners.ResolveAsync);
        return node;
    }

    /// <summary>
    /// After each sync: the node's blocks from the desired state, the leak sweep, block claims and give-backs with
    /// the usage report (when a controller is there), and the conflist once ready. Returns what is worth a log line.
    /// </summary>
    public async Task<IReadOnlyList<string>> AfterSyncAsync(AgentSync sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (sync.Desired is { } desired)
        {
            Addresses.SetBlocks(desired.Blocks, desired.Networks);
        }

        var links = await _kernel.LinkNamesAsync(cancellationToken);
        var done = Addresses.Sweep(_sweep, a => IsAlive(a, links), _time.GetUtcNow())
            .Select(k => $"reclaimed the address of {k.ContainerId}/{k.IfName}: its netns and host veth are gone (no DEL came)").ToList();
        if (_keeper is not null && sync.Desired is not null)
        {
            done.AddRange(await _keeper.KeepAsync(cancellationToken));
        }

        if (ConflistPath is null && _options.ConfDirectory is { } directory && (Addresses.Capacity().Blocks > 0 || (_keeper is not null && sync.Desired is not null)))
        {
            ConflistPath = CniConflist.Write(directory, _options);
            done.Add($"wrote {ConflistPath}: ready for pods");
        }

        return done;
    }

    /// <summary>STATUS: ADD can be served when a block has a free address (or the agent is in sync and can get more).</summary>
    private CniStatus Status(AgentStatus agent)
    {
        var (free, blocks) = Addresses.Capacity();
        if (!agent.Forwarding && agent.LastSuccess is not null)
        {
            return new CniStatus(51, "IP forwarding is off on this node: pods cannot reach anything beyond it");
        }

        return free > 0 ? new CniStatus(0, $"{free} free address(es) in {blocks} block(s)")
            : _keeper is not null && agent.LastError is null && agent.LastSuccess is not null ? new CniStatus(0, "no free address yet; the controller is reachable and gives blocks on demand")
            : agent.LastSuccess is null ? new CniStatus(50, $"the agent has not synced with the controller yet and holds no free address ({agent.LastError})")
            : new CniStatus(50, $"no free address in this node's {blocks} block(s)");
    }

    /// <summary>An attachment is alive while its network namespace or its host veth exists.</summary>
    private static bool IsAlive(PodAttachment attachment, IReadOnlySet<string> links) =>
        links.Contains(HostVethName.For(attachment.Key.ContainerId, attachment.Key.IfName)) || (attachment.Netns is { } netns && File.Exists(netns));

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }

        _keeper?.Dispose();
    }
}
