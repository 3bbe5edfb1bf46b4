using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.VpcSim.Admin;
using RomanaAws.VpcSim.CloudWatch;
using RomanaAws.VpcSim.Health;
using RomanaAws.VpcSim.Scenario;
using RomanaAws.VpcSim.Throttling;
using RomanaAws.VpcSim.World;

namespace RomanaAws.VpcSim;

/// <summary>
/// The running simulator: EC2 and CloudWatch (Query protocol) on one loopback listener, the admin API under
/// <c>/_sim/</c>, and optional per-instance health endpoints. Start it in-process with <see cref="StartAsync"/>.
/// </summary>
public sealed class VpcSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HealthEndpoints _health;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _healthLoop;

    private VpcSimulator(WebApplication app, HealthEndpoints health, SimulatorControl control, Uri endpoint, TimeProvider time, bool healthEnabled)
    {
        _app = app;
        _health = health;
        Control = control;
        Endpoint = endpoint;
        _healthLoop = healthEnabled ? RunHealthLoopAsync(time) : Task.CompletedTask;
    }

    /// <summary>The service URL for EC2 and CloudWatch clients (e.g. <c>http://127.0.0.1:4566/</c>).</summary>
    public Uri Endpoint { get; }

    public Uri AdminEndpoint => new(Endpoint, AdminApi.Prefix + "/");

    public SimulatorControl Control { get; }

    public static async Task<VpcSimulator> StartAsync(ScenarioFile scenario, SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulatorOptions();
        var problems = ScenarioLoader.Validate(scenario);
        if (problems.Count > 0)
        {
            throw new ScenarioException("scenario", problems);
        }

        var world = new SimWorld(options.Time, ScenarioSeeder.Settings(scenario));
        ScenarioSeeder.Seed(world, scenario);
        var t = scenario.Throttling;
        var throttle = new ApiThrottle(options.Time, new ThrottleSettings
        {
            Enabled = t.Enabled,
            Mutating = new(t.Mutating.Capacity, t.Mutating.RefillPerSecond),
            Describe = new(t.Describe.Capacity, t.Describe.RefillPerSecond),
            UnfilteredDescribeInstances = new(t.UnfilteredDescribeInstances.Capacity, t.UnfilteredDescribeInstances.RefillPerSecond),
        });
        var metrics = new MetricStore();
        var state = new SimulatorState(options.Seed);
        var logging = options.Logging ?? NullLoggerFactory.Instance;
        var endpoint = new QueryEndpoint(world, throttle, metrics, state, scenario.Credentials, logging.CreateLogger<QueryEndpoint>());
        var health = new HealthEndpoints(world, state, logging.CreateLogger<HealthEndpoints>());
        var control = new SimulatorControl(world, metrics, state, endpoint, health, scenario);
        endpoint.AfterRequest = control.SyncHealthAsync;

        // No configuration file watching (each watcher is an inotify instance, a per-user resource of 128 by default).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.BindAddress, options.Port);
            k.Limits.MaxRequestBodySize = QueryForm.MaxBodyBytes;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var app = builder.Build();
        app.Use(AdminApi.GuardAsync);
        AdminApi.Map(app, control);
        app.MapPost("/", endpoint.HandleAsync);
        app.MapGet("/", endpoint.HandleAsync);
        await app.StartAsync(cancellationToken);
        var url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        await control.SyncHealthAsync();
        return new VpcSimulator(app, health, control, url, options.Time, scenario.HealthEndpoints);
    }

    /// <summary>Instances change state over time (stopping → stopped): keep their health listeners in step.</summary>
    private async Task RunHealthLoopAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200), time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await Control.SyncHealthAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One failed sync (a port not yet free, say) must not end the loop; the next tick retries.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _healthLoop;
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _health.DisposeAsync();
        _stop.Dispose();
    }
}
