using System.Net;

namespace RomanaAws.Controller.Replication;

/// <summary>
/// Who this replica is to the others: its id (the pod name from <c>POD_NAME</c>, else host name, process id and API port) and
/// the API address standbys forward to (<c>controller.advertise</c>, else <c>http(s)://POD_IP:PORT/</c>, else the listen address).
/// </summary>
public static class ReplicaIdentity
{
    public static LeaderHolder For(string? advertise, IPEndPoint listen, bool tls = false)
    {
        var scheme = tls ? "https" : "http";
        ArgumentNullException.ThrowIfNull(listen);
        var id = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName}-{Environment.ProcessId}-{listen.Port}";
        var url = advertise
            ?? (Environment.GetEnvironmentVariable("POD_IP") is { Length: > 0 } ip ? $"{scheme}://{ip}:{listen.Port}/" : null)
            ?? $"{scheme}://{(listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : listen.Address)}:{listen.Port}/";
        return new LeaderHolder(id, url);
    }
}
