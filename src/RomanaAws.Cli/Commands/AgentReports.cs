using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// Routing modes bgp and ospf, for <c>routes</c> and <c>preflight</c>: asks every host's agent for its BIRD report
/// (<c>GET http://IP:AGENT-PORT/healthz</c>, read as the agent's own <see cref="AgentStatus"/>; 200 or 503 both carry
/// it), and tries each BGP
/// router on TCP 179. All in parallel, each within a few seconds. Thin: what to make of the answers is decided in Core.
/// </summary>
internal static class AgentReports
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<IReadOnlyDictionary<string, HostAdvertising>> FetchAsync(IReadOnlyList<HostSpec> hosts, int agentPort, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout };
        var reports = await Task.WhenAll(hosts.Select(h => FetchAsync(http, h, agentPort, cancellationToken)));
        return reports.ToDictionary(r => r.Host, StringComparer.Ordinal);
    }

    private static async Task<HostAdvertising> FetchAsync(HttpClient http, HostSpec host, int agentPort, CancellationToken cancellationToken)
    {
        var ip = host.PrimaryIp.ToString();
        var url = new Uri($"http://{(host.PrimaryIp.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip)}:{agentPort}/healthz");
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var status = JsonSerializer.Deserialize<AgentStatus>(await response.Content.ReadAsStringAsync(cancellationToken), AgentSync.Json);
            if (status?.Routing is not { } routing)
            {
                return HostAdvertising.Unreachable(host.InstanceId, ip, $"{url} answered without a BIRD report (no desired advertisement yet, or an agent of routing mode vpc)");
            }

            var links = routing.Sessions.Select(s => new RouterLink(s.Neighbor, $"{s.State} {s.Info}".Trim(), s.Established)).ToList();
            var exported = routing.Exported.Values.SelectMany(p => p).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new HostAdvertising(host.InstanceId, ip, null, links, exported);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return HostAdvertising.Unreachable(host.InstanceId, ip, $"{url}: {ex.Message}");
        }
    }

    /// <summary>Each BGP router of the configuration → null when it accepts a TCP connection on 179, else why not.</summary>
    public static async Task<IReadOnlyDictionary<IPAddress, string?>> PeersAsync(RoutingConfig routing, CancellationToken cancellationToken)
    {
        var peers = routing.Racks.SelectMany(r => r.Peers).Select(p => p.Address).Distinct().ToList();
        var results = await Task.WhenAll(peers.Select(async address =>
        {
            using var client = new TcpClient(address.AddressFamily);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await client.ConnectAsync(address, 179, timeout.Token);
                return (address, (string?)null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (address, $"no answer on TCP 179 within {Timeout.TotalSeconds:0} s");
            }
            catch (SocketException ex)
            {
                return (address, $"TCP 179: {ex.Message}");
            }
        }));
        return results.ToDictionary(r => r.address, r => r.Item2);
    }
}
