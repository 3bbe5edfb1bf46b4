using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Health;

/// <summary>
/// Per simulated instance, the node agent's health endpoint as it would answer on a real node, on its own loopback
/// port: listening only while the instance runs (a stopped node refuses connections), 503 while marked failing.
/// Production probes <c>http://{privateIp}:{agentPort}/healthz</c>; tests and the demo map each instance to its
/// entry here (<see cref="Endpoints"/>, or GET /_sim/health-endpoints).
/// </summary>
/// <remarks>
/// Cost per endpoint: one listening socket, nothing else (no web host, no thread, no file watcher); running instances
/// are bounded by the scenario's instanceLimit. Instances that leave the world (a reset) lose their endpoint.
/// </remarks>
internal sealed partial class HealthEndpoints(SimWorld world, SimulatorState simulator, ILogger<HealthEndpoints> logger) : IAsyncDisposable
{
    private readonly Dictionary<string, HealthListener> _listeners = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sync = new(1, 1);

    /// <summary>Instance id → its health URL (also for instances not running now: the port is kept).</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.Where(s => s.Value.Port > 0).ToDictionary(s => s.Key, s => new Uri($"http://127.0.0.1:{s.Value.Port}/healthz"));
            }
        }
    }

    /// <summary>Starts listeners for running instances, stops those of instances that are not, drops those of instances gone.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            Dictionary<string, bool> wanted;
            lock (world.Sync)
            {
                wanted = world.CurrentInstances().ToDictionary(i => i.Id, i => i.State == InstanceState.Running, StringComparer.Ordinal);
            }

            List<HealthListener> gone;
            lock (_listeners)
            {
                gone = _listeners.Where(l => !wanted.ContainsKey(l.Key)).Select(l => l.Value).ToList();
                foreach (var listener in gone)
                {
                    _listeners.Remove(listener.InstanceId);
                }
            }

            foreach (var listener in gone)
            {
                await listener.StopAsync();
            }

            foreach (var (id, up) in wanted)
            {
                HealthListener? listener;
                lock (_listeners)
                {
                    if (!_listeners.TryGetValue(id, out listener))
                    {
                        listener = new HealthListener(id, world, simulator);
                        _listeners.Add(id, listener);
                    }
                }

                if (up && !listener.Listening)
                {
                    var port = listener.Start();
                    LogStarted(id, port);
                }
                else if (!up && listener.Listening)
                {
                    await listener.StopAsync();
                }
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<HealthListener> all;
        lock (_listeners)
        {
            all = [.. _listeners.Values];
            _listeners.Clear();
        }

        foreach (var listener in all)
        {
            await listener.StopAsync();
        }

        _sync.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health endpoint of {InstanceId} listening on 127.0.0.1:{Port}")]
    private partial void LogStarted(string instanceId, int port);
}
