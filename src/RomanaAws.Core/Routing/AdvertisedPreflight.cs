using System.Net;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Preflight;
using RomanaAws.Core.Topology;

namespace RomanaAws.Core.Routing;

/// <summary>
/// <c>romana-aws preflight</c> in routing modes bgp and ospf: every configured router answers on TCP 179 (bgp) from
/// where the preflight runs, and every host's BIRD has its sessions (bgp: one per peer of its rack, Established) or a
/// Full adjacency with a router (ospf). Each failure says what to fix. Pure.
/// </summary>
public static class AdvertisedPreflight
{
    /// <param name="peers">Each BGP peer address → null when it accepted a connection on TCP 179, else why not.</param>
    public static IReadOnlyList<PreflightCheck> Evaluate(RoutingConfig routing, IReadOnlyList<HostSpec> hosts, IReadOnlyDictionary<string, HostAdvertising> reports, IReadOnlyDictionary<IPAddress, string?> peers)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(peers);
        var checks = new List<PreflightCheck>();
        foreach (var rack in routing.Racks)
        {
            foreach (var peer in rack.Peers)
            {
                var error = peers.GetValueOrDefault(peer.Address, "not tried");
                checks.Add(new PreflightCheck($"router {peer.Address} (rack {rack.Name}) reachable", error is null,
                    error is null ? "accepts connections on TCP 179" : error,
                    error is null ? null : $"check the router runs BGP on {peer.Address} and that nothing between here and it filters TCP 179"));
            }
        }

        if (hosts.Count == 0)
        {
            checks.Add(new PreflightCheck("hosts", false, "no host is configured (routing.hosts) or registered", "list the nodes under routing.hosts, or let the controller register them"));
        }

        foreach (var host in hosts)
        {
            var rack = routing.Rack(host.SubnetId);
            var report = reports.GetValueOrDefault(host.InstanceId);
            var name = $"host {host.InstanceId} ({host.PrimaryIp}, rack {host.SubnetId})";
            if (report?.Error is { } error || report is null)
            {
                checks.Add(new PreflightCheck(name, false, $"its agent did not answer: {report?.Error ?? "not asked"}",
                    "start the agent on the node (romana-aws agent) and check its /healthz port is reachable from here"));
                continue;
            }

            if (routing.Mode == RoutingMode.Bgp)
            {
                var missing = (rack?.Peers ?? []).Where(p => !report.Links.Any(l => l.Up && l.Neighbor == p.Address.ToString())).ToList();
                checks.Add(new PreflightCheck(name, missing.Count == 0,
                    missing.Count == 0 ? $"BGP Established with {string.Join(", ", report.Links.Select(l => l.Neighbor))}"
                        : $"no Established session with {string.Join(", ", missing.Select(p => p.Address))} ({string.Join(", ", report.Links.Select(l => $"{l.Neighbor} {l.State}"))})",
                    missing.Count == 0 ? null : $"on the router, accept {host.PrimaryIp} as a neighbor with remote AS {routing.Asn} (or a listen range covering {rack?.Cidr}); check the AS numbers and passwords match"));
            }
            else
            {
                var full = report.Links.Where(l => l.Up).ToList();
                checks.Add(new PreflightCheck(name, full.Count > 0,
                    full.Count > 0 ? $"OSPF Full with {string.Join(", ", full.Select(l => l.Neighbor))}" : $"no Full OSPF adjacency ({string.Join(", ", report.Links.Select(l => $"{l.Neighbor} {l.State}"))})",
                    full.Count > 0 ? null : $"run OSPF on the router's interface in {rack?.Cidr}, area {rack?.Area}, with hello {routing.HelloSeconds} s and dead {routing.DeadSeconds} s (they must match)"));
            }
        }

        return checks;
    }
}
