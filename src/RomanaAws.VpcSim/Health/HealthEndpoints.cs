using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim.Health;

/// <summary>
/// Per simulated instance, the node agent's health endpoint as it would answer on a real node, on its own loopback
/// port: listening only while the instance runs (a stopped node refuses connections), 503 while marked failing.
/// Production probes <c>http://{privateIp}:{agentPort}/healthz</c>; tests and the demo map each instance to its
/// entry here (<see cref="Endpoints"/>, or GET /_sim/health-endpoints).
/// </summary>
internal sealed class HealthEndpoints(SimWorld world, SimulatorState simulator) : IAsyncDisposable
{
    private readonly Dictionary<string, Server> _servers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sync = new(1, 1);

    /// <summary>Instance id → its health URL (also for instances not running now: the port is kept).</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints
    {
        get
        {
            lock (_servers)
            {
                return _servers.Where(s => s.Value.Port > 0).ToDictionary(s => s.Key, s => new Uri($"http://127.0.0.1:{s.Value.Port}/healthz"));
            }
        }
    }

    /// <summary>Starts listeners for running instances and stops those of instances that are not.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken);
        try
        {
            List<(string Id, bool Up)> wanted;
            lock (world.Sync)
            {
                wanted = world.CurrentInstances().Select(i => (i.Id, i.State == InstanceState.Running)).ToList();
            }

            foreach (var (id, up) in wanted)
            {
                Server? server;
                lock (_servers)
                {
                    if (!_servers.TryGetValue(id, out server))
                    {
                        server = new Server(id);
                        _servers.Add(id, server);
                    }
                }

                if (up && server.App is null)
                {
                    await server.StartAsync(this, cancellationToken);
                }
                else if (!up && server.App is not null)
                {
                    await server.StopAsync();
                }
            }
        }
        finally
        {
            _sync.Release();
        }
    }

    private async Task HandleAsync(HttpContext context, string instanceId)
    {
        if (simulator.HealthDropRate > 0 && simulator.NextDouble() < simulator.HealthDropRate)
        {
            context.Abort();
            return;
        }

        bool failing;
        string state;
        lock (world.Sync)
        {
            var instance = world.Instance(instanceId);
            failing = instance.HealthFailing;
            state = instance.State.Name();
        }

        context.Response.StatusCode = failing ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(new { instanceId, healthy = !failing, state, simulated = true }, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.StopAsync();
        }

        _sync.Dispose();
    }

    private sealed class Server(string instanceId)
    {
        public WebApplication? App { get; private set; }

        public int Port { get; private set; }

        public async Task StartAsync(HealthEndpoints owner, CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
            var app = builder.Build();
            app.MapGet("/healthz", context => owner.HandleAsync(context, instanceId));
            await app.StartAsync(cancellationToken);
            var port = new Uri(app.Urls.First()).Port;
            lock (owner._servers)
            {
                Port = port;
            }

            App = app;
        }

        public async Task StopAsync()
        {
            if (App is { } app)
            {
                App = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
