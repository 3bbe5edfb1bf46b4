namespace RomanaAws.Controller.Health;

/// <summary>
/// Where a host's node agent answers. In production: the instance's private IP and the agent port. In tests and the
/// demo: an explicit map to loopback endpoints (the simulator's per-instance health endpoints), so no probe ever
/// leaves the machine.
/// </summary>
public sealed class ProbeTargets
{
    private readonly Func<IReadOnlyDictionary<string, Uri>>? _map;
    private readonly int _agentPort;

    private ProbeTargets(Func<IReadOnlyDictionary<string, Uri>>? map, int agentPort)
    {
        _map = map;
        _agentPort = agentPort;
    }

    public static ProbeTargets PrivateIp(int agentPort) => new(null, agentPort);

    /// <summary>Looks each host up in a map read afresh every time (instances come and go).</summary>
    public static ProbeTargets Mapped(Func<IReadOnlyDictionary<string, Uri>> map) => new(map, 0);

    /// <summary>The /healthz URL of a host, or null when a map is used and the host has no entry (nothing listens there).</summary>
    public Uri? HealthUrl(string instanceId, System.Net.IPAddress privateIp)
    {
        ArgumentNullException.ThrowIfNull(privateIp);
        if (_map is not null)
        {
            return _map().GetValueOrDefault(instanceId);
        }

        var host = privateIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{privateIp}]" : privateIp.ToString();
        return new Uri($"http://{host}:{_agentPort}/healthz");
    }
}
