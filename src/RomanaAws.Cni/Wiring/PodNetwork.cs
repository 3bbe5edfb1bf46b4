using System.Net;
using RomanaAws.Cni.Netlink;
using RomanaAws.Cni.Spec;

namespace RomanaAws.Cni.Wiring;

/// <summary>
/// A pod's data path (see docs/agent.md, "Data path"): a veth pair; the pod's interface holds its /32, a link-scope
/// route to the link-local gateway, the default route via it and a permanent neighbour entry mapping the gateway to
/// the host veth's MAC (so the pod never ARPs for it); the host holds the /32 route to the veth. The host needs no
/// address of its own on the veth and the gateway is the same on every node.
/// </summary>
internal static class PodNetwork
{
    private const int DefaultMtu = 1500;

    public static PodInterfaces Setup(string netnsPath, string ifName, string hostVeth, IPAddress address, IPAddress gateway, int? mtu)
    {
        using var netns = NetworkNamespace.TryOpen(netnsPath) ?? throw new CniFailure(CniErrorCode.InvalidEnvironment, $"CNI_NETNS {netnsPath} does not exist (the container's network namespace is gone)");
        using var hostSocket = NetlinkSocket.Open();
        using var podSocket = NetlinkSocket.OpenIn(netns);
        var host = new Rtnl(hostSocket);
        var pod = new Rtnl(podSocket);
        var linkMtu = mtu ?? PrimaryMtu(host);

        // A veth left by an interrupted ADD of this same attachment: its name is ours (derived from the key), so rebuild.
        host.DeleteLink(hostVeth);
        if (pod.Link(ifName) is not null)
        {
            throw new CniFailure(CniErrorCode.KernelFailure, $"interface {ifName} already exists in {netnsPath}; another plugin configured it (CNI_IFNAME must be free)");
        }

        host.CreateVeth(hostVeth, ifName, netns, linkMtu);
        var hostLink = host.Link(hostVeth) ?? throw new CniFailure(CniErrorCode.KernelFailure, $"veth {hostVeth} vanished right after it was created");
        var podLink = pod.Link(ifName) ?? throw new CniFailure(CniErrorCode.KernelFailure, $"veth peer {ifName} did not appear in {netnsPath}");
        pod.SetUp(podLink);
        host.SetUp(hostLink);
        pod.ReplaceAddress(podLink, address, 32);
        pod.ReplaceRoute(gateway, 32, null, podLink, Rtnl.ScopeLink);
        pod.ReplaceRoute(IPAddress.Any, 0, gateway, podLink, Rtnl.ScopeUniverse);
        pod.ReplaceNeighbour(podLink, gateway, hostLink.Mac);
        host.ReplaceRoute(address, 32, null, hostLink, Rtnl.ScopeLink);
        EnableForwarding();
        return new PodInterfaces(hostVeth, hostLink.Mac, ifName, podLink.Mac, netnsPath, address, gateway, linkMtu);
    }

    /// <summary>Removes the host veth (its peer and the /32 route go with it). Idempotent: false when nothing was there.</summary>
    public static bool Teardown(string hostVeth, string? previousHostVeth)
    {
        using var socket = NetlinkSocket.Open();
        var host = new Rtnl(socket);
        var removed = host.DeleteLink(hostVeth);
        if (previousHostVeth is { } previous && previous != hostVeth && previous.StartsWith(CniProtocol.HostVethName.Prefix, StringComparison.Ordinal))
        {
            removed |= host.DeleteLink(previous);
        }

        return removed;
    }

    /// <summary>What differs from what ADD set up for <paramref name="address"/>; empty when all is in place.</summary>
    public static List<string> Check(string netnsPath, string ifName, string hostVeth, IPAddress address, IPAddress gateway)
    {
        var problems = new List<string>();
        using var netns = NetworkNamespace.TryOpen(netnsPath);
        if (netns is null)
        {
            problems.Add($"network namespace {netnsPath} does not exist");
            return problems;
        }

        using var hostSocket = NetlinkSocket.Open();
        using var podSocket = NetlinkSocket.OpenIn(netns);
        var host = new Rtnl(hostSocket);
        var pod = new Rtnl(podSocket);
        if (pod.Link(ifName) is not { } podLink)
        {
            problems.Add($"{ifName} is missing in {netnsPath}");
        }
        else
        {
            if (!podLink.Up)
            {
                problems.Add($"{ifName} is down");
            }

            if (!pod.Addresses(podLink.Index).Contains((address, 32)))
            {
                problems.Add($"{ifName} does not hold {address}/32");
            }

            if (!pod.Routes().Any(r => r.PrefixLength == 0 && gateway.Equals(r.Gateway) && r.OutputInterface == podLink.Index))
            {
                problems.Add($"the pod has no default route via {gateway} dev {ifName}");
            }
        }

        if (host.Link(hostVeth) is not { } hostLink)
        {
            problems.Add($"host veth {hostVeth} is missing");
        }
        else if (!host.Routes().Any(r => r.PrefixLength == 32 && address.Equals(r.Destination) && r.OutputInterface == hostLink.Index))
        {
            problems.Add($"the host has no route {address}/32 dev {hostVeth}");
        }

        return problems;
    }

    /// <summary>Deletes host veths of this plugin whose name is not in <paramref name="keep"/> (GC); returns their names.</summary>
    public static List<string> SweepVeths(IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        using var socket = NetlinkSocket.Open();
        var host = new Rtnl(socket);
        var removed = new List<string>();
        foreach (var link in host.Links().Where(l => l.Name.StartsWith(CniProtocol.HostVethName.Prefix, StringComparison.Ordinal) && !keep.Contains(l.Name)))
        {
            if (host.DeleteLink(link.Name))
            {
                removed.Add(link.Name);
            }
        }

        return removed;
    }

    /// <summary>The MTU of the interface holding the default route (9001 on VPC jumbo frames); 1500 when there is none.</summary>
    private static int PrimaryMtu(Rtnl host)
    {
        var defaultRoute = host.Routes().FirstOrDefault(r => r.PrefixLength == 0 && r.OutputInterface > 0);
        return defaultRoute is null ? DefaultMtu : host.Links().FirstOrDefault(l => l.Index == defaultRoute.OutputInterface)?.Mtu ?? DefaultMtu;
    }

    /// <summary>Pods' packets are routed by the host: IPv4 forwarding on (as the reference ptp plugin does).</summary>
    private static void EnableForwarding()
    {
        const string path = "/proc/sys/net/ipv4/ip_forward";
        if (File.ReadAllText(path).Trim() != "1")
        {
            File.WriteAllText(path, "1");
        }
    }
}
