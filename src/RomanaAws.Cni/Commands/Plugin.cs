using System.Net;
using RomanaAws.Cni.Spec;
using RomanaAws.Cni.Wiring;
using RomanaAws.CniProtocol;

namespace RomanaAws.Cni.Commands;

/// <summary>
/// One CNI invocation: the command from the environment, the config from stdin, the answer for stdout (empty for
/// DEL, CHECK, STATUS and GC). Addresses come from the agent; the data path is <see cref="PodNetwork"/>.
/// </summary>
internal sealed class Plugin(CniEnvironment environment, PluginConfig config, Func<AgentClient> agent, TextWriter log)
{
    public async Task<byte[]> RunAsync() => environment.Command switch
    {
        CniCommand.Version => ResultWriter.Version(config.CniVersion),
        CniCommand.Add => await AddAsync(),
        CniCommand.Del => await DeleteAsync(),
        CniCommand.Check => await CheckAsync(),
        CniCommand.Status => await StatusAsync(),
        CniCommand.Gc => await GcAsync(),
        _ => throw new CniFailure(CniErrorCode.InvalidEnvironment, $"CNI_COMMAND {environment.Command} is not handled"),
    };

    private string HostVeth => HostVethName.For(environment.ContainerId, environment.IfName);

    private CniKeyRequest Key => new(environment.ContainerId, environment.IfName);

    private async Task<byte[]> AddAsync()
    {
        var client = agent();
        var owner = environment.Args.PodNamespace ?? config.DefaultOwner;
        var assigned = client.Add(new CniAddRequest(environment.ContainerId, environment.IfName, owner, environment.Netns, environment.Args.PodNamespace, environment.Args.PodName));
        var address = IPAddress.Parse(assigned.Address);
        try
        {
            var pod = PodNetwork.Setup(environment.Netns!, environment.IfName, HostVeth, address, config.Gateway, config.Mtu);
            return ResultWriter.Add(config.CniVersion, pod);
        }
        catch when (!assigned.Existing)
        {
            // Leave nothing behind: the runtime will retry ADD (or call DEL) and get a clean start.
            PodNetwork.Teardown(HostVeth, null);
            client.Delete(Key);
            throw;
        }
    }

    private async Task<byte[]> DeleteAsync()
    {
        // The kernel side first, so the address is never handed out while its route still points at this veth.
        PodNetwork.Teardown(HostVeth, config.PrevResult?.HostInterface);
        var client = agent();
        try
        {
            client.Delete(Key);
        }
        catch (CniFailure e) when (e.Code == CniErrorCode.TryAgainLater)
        {
            // DEL must succeed: the data path is gone; the agent's leak sweep reclaims the address once it is back.
            await log.WriteLineAsync($"romana-aws-cni: DEL {environment.ContainerId}/{environment.IfName}: {e.Message}; the agent reclaims the address later");
        }

        return [];
    }

    private async Task<byte[]> CheckAsync()
    {
        var client = agent();
        var held = client.Check(Key);
        var problems = new List<string>();
        if (config.PrevResult?.AddressOf(environment.IfName) is { } previous && previous != $"{held.Address}/32")
        {
            problems.Add($"prevResult says {previous} but the agent holds {held.Address}/32");
        }

        problems.AddRange(PodNetwork.Check(environment.Netns!, environment.IfName, HostVeth, IPAddress.Parse(held.Address), config.Gateway));
        return problems.Count == 0 ? [] : throw new CniFailure(CniErrorCode.CheckFailed, $"CHECK {environment.ContainerId}/{environment.IfName}: {string.Join("; ", problems)}");
    }

    private async Task<byte[]> StatusAsync()
    {
        var client = agent();
        CniStatus status;
        try
        {
            status = client.Status();
        }
        catch (CniFailure e) when (e.Code == CniErrorCode.TryAgainLater)
        {
            throw new CniFailure(CniErrorCode.NotAvailable, e.Message);
        }

        return status.Code == 0 ? [] : throw new CniFailure(status.Code, status.Message);
    }

    private async Task<byte[]> GcAsync()
    {
        var valid = config.ValidAttachments.Select(v => new CniKeyRequest(v.ContainerId, v.IfName)).ToList();
        var removed = PodNetwork.SweepVeths(valid.Select(v => HostVethName.For(v.ContainerId, v.IfName)).ToHashSet(StringComparer.Ordinal));
        var client = agent();
        var released = client.Gc(new CniGcRequest(valid));
        await log.WriteLineAsync($"romana-aws-cni: GC released {released.Released.Count} address(es), removed {removed.Count} veth(s)");
        return [];
    }
}
