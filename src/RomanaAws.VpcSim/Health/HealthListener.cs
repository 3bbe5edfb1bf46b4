using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Health;

/// <summary>
/// One instance's health endpoint: a loopback listening socket answering <c>GET /healthz</c> with a minimal
/// HTTP/1.1 response (one request per connection, <c>Connection: close</c>). The port is kept across stop/start.
/// </summary>
internal sealed class HealthListener(string instanceId, SimWorld world, SimulatorState simulator) : IAsyncDisposable
{
    private const int MaxRequestBytes = 8 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task _accepting = Task.CompletedTask;

    public string InstanceId { get; } = instanceId;

    public int Port { get; private set; }

    public bool Listening => _listener is not null;

    /// <summary>Listens (on the port it had before, if any) and returns the port.</summary>
    public int Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(backlog: 32);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _stop.Token);
        return Port;
    }

    public async Task StopAsync()
    {
        if (_listener is not { } listener)
        {
            return;
        }

        _listener = null;
        await _stop!.CancelAsync();
        listener.Stop();
        await _accepting;
        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using (client)
        {
            using var timeout = new CancellationTokenSource(ReadTimeout, world.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
            try
            {
                var target = await ReadRequestTargetAsync(client, linked.Token);
                if (simulator.HealthDropRate > 0 && simulator.NextDouble() < simulator.HealthDropRate)
                {
                    client.LingerState = new LingerOption(true, 0); // a reset, as a lossy network would do
                    return;
                }

                var (status, body) = Answer(target);
                target ??= string.Empty;
                var head = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, linked.Token);
                if (!target.StartsWith("HEAD", StringComparison.Ordinal))
                {
                    await client.SendAsync(body, SocketFlags.None, linked.Token);
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away, was too slow, or the endpoint stopped: nothing to answer.
            }
        }
    }

    /// <summary>The request line's method and path ("GET /healthz"), or null when the request is not one.</summary>
    private static async Task<string?> ReadRequestTargetAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                var line = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, length).IndexOf("\r\n"u8)).Split(' ');
                return line.Length == 3 && line[2].StartsWith("HTTP/1.", StringComparison.Ordinal) ? $"{line[0]} {line[1].Split('?')[0]}" : null;
            }
        }

        return null;
    }

    private (string Status, byte[] Body) Answer(string? target)
    {
        if (target is not ("GET /healthz" or "HEAD /healthz"))
        {
            return (target is null ? "400 Bad Request" : "404 Not Found", JsonSerializer.SerializeToUtf8Bytes(new { error = "only GET /healthz is served here" }));
        }

        bool failing;
        string state;
        lock (world.Sync)
        {
            if (!world.Instances.TryGetValue(InstanceId, out var instance))
            {
                return ("404 Not Found", JsonSerializer.SerializeToUtf8Bytes(new { error = "no such instance" }));
            }

            instance.Advance(world.Now);
            failing = instance.HealthFailing;
            state = instance.State.Name();
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new { instanceId = InstanceId, healthy = !failing, state, simulated = true });
        return (failing ? "503 Service Unavailable" : "200 OK", body);
    }
}
