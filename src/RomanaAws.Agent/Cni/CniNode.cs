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
    private WebApplication? _socket;

    private CniNode(CniNodeOptions options, LinuxKernel kernel, TimeProvider time, PodAddressService addresses)
    {
        _options = options;
        _kernel = kernel;
        _time = time;
        _sweep = new LeakSweep(options.LeakGrace);
        Addresses = addresses;
    }

    public PodAddressService Addresses { get; }

    /// <summary>Where the conflist was written (null until ready).</summary>
    public string? ConflistPath { get; private set; }

    public static async Task<CniNode> StartAsync(CniNodeOptions options, LinuxKernel kernel, Func<AgentStatus> status, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(status);
        var links = await kernel.LinkNamesAsync(cancellationToken);
        var addresses = new PodAddressService(new CheckpointFile(options.CheckpointPath), [], a => IsAlive(a, links));
        var node = new CniNode(options, kernel, time, addresses);
        node._socket = await CniSocketHost.StartAsync(options.SocketPath, addresses, () => node.Status(status()), cancellationToken);
        return node;
    }

    /// <summary>After each sync: the node's blocks from the desired state, the leak sweep, and the conflist once ready.</summary>
    public async Task AfterSyncAsync(AgentSync sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        if (sync.Desired is { } desired)
        {
            Addresses.SetBlocks(desired.Blocks);
        }

        var links = await _kernel.LinkNamesAsync(cancellationToken);
        Addresses.Sweep(_sweep, a => IsAlive(a, links), _time.GetUtcNow());
        if (ConflistPath is null && _options.ConfDirectory is { } directory && Addresses.Capacity().Blocks > 0)
        {
            ConflistPath = CniConflist.Write(directory, _options);
        }
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
    }
}
