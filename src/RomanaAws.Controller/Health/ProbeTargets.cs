using System.Net;
using System.Net.Http.Json;
using RomanaAws.Controller.Configuration;

namespace RomanaAws.Controller.Health;

/// <summary>
/// Where a host's node agent answers. In production: the instance's private IP and the agent port. Against the
/// simulator (and in tests and the demo): the simulator's loopback health endpoints, read from its admin API or given
/// as a map, so no probe ever leaves the machine. A host missing from a map has no endpoint: it is never probed at
/// its private address instead.
/// </summary>
public sealed class ProbeTargets
{
    private readonly Func<IReadOnlyDictionary<string, Uri>>? _map;
    private readonly Uri? _admin;
    private readonly int _agentPort;
    private IReadOnlyDictionary<string, Uri> _fetched = new Dictionary<string, Uri>();

    private ProbeTargets(Func<IReadOnlyDictionary<string, Uri>>? map, Uri? admin, int agentPort)
    {
        _map = map;
        _admin = admin;
        _agentPort = agentPort;
    }

    /// <summary>What <see cref="Simulator"/> last failed with, or null (shown in logs by the monitor).</summary>
    public string? LastRefreshError { get; private set; }

    public static ProbeTargets PrivateIp(int agentPort) => new(null, null, agentPort);

    /// <summary>Looks each host up in a map read afresh every time (instances come and go).</summary>
    public static ProbeTargets Mapped(Func<IReadOnlyDictionary<string, Uri>> map) => new(map, null, 0);

    /// <summary>The simulator's endpoints: <c>GET {ec2ServiceUrl}/_sim/health-endpoints</c>, refreshed every probe round.</summary>
    public static ProbeTargets Simulator(Uri ec2ServiceUrl)
    {
        ArgumentNullException.ThrowIfNull(ec2ServiceUrl);
        return new(null, new Uri(ec2ServiceUrl, "/_sim/health-endpoints"), 0);
    }

    /// <summary>The targets the settings ask for (<see cref="HealthCheckSettings.Targets"/>).</summary>
    public static ProbeTargets For(HealthCheckSettings health, AwsSettings aws)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(aws);
        var local = aws.Ec2ServiceUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
        return health.Targets switch
        {
            "privateIp" => PrivateIp(health.AgentPort),
            "simulator" or "auto" when aws.Ec2ServiceUrl is not null && (local || health.Targets == "simulator") => Simulator(new Uri(aws.Ec2ServiceUrl)),
            _ => PrivateIp(health.AgentPort),
        };
    }

    /// <summary>Whether probes go to the instances' private addresses (false: to a map or the simulator).</summary>
    public bool UsesPrivateIp => _map is null && _admin is null;

    /// <summary>Re-reads the simulator's endpoint map (no-op otherwise). On failure the map is empty: no probe goes anywhere else.</summary>
    public async Task RefreshAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (_admin is null)
        {
            return;
        }

        try
        {
            var map = await http.GetFromJsonAsync<Dictionary<string, string>>(_admin, cancellationToken) ?? [];
            _fetched = map.Where(e => Uri.TryCreate(e.Value, UriKind.Absolute, out var u) && u.IsLoopback)
                .ToDictionary(e => e.Key, e => new Uri(e.Value), StringComparer.Ordinal);
            LastRefreshError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _fetched = new Dictionary<string, Uri>();
            LastRefreshError = $"{_admin}: {ex.Message}";
        }
    }

    /// <summary>The /healthz URL of a host, or null when a map is used and the host has no entry (nothing listens there).</summary>
    public Uri? HealthUrl(string instanceId, IPAddress privateIp)
    {
        ArgumentNullException.ThrowIfNull(privateIp);
        if (_map is not null)
        {
            return _map().GetValueOrDefault(instanceId);
        }

        if (_admin is not null)
        {
            return _fetched.GetValueOrDefault(instanceId);
        }

        var host = privateIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{privateIp}]" : privateIp.ToString();
        return new Uri($"http://{host}:{_agentPort}/healthz");
    }
}
