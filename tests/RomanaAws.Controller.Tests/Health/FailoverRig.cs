using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Controller.Tests.Health;

/// <summary>A controller with health checks against the simulator; the test drives probe rounds and passes itself.</summary>
internal sealed class FailoverRig : IAsyncDisposable
{
    private FailoverRig(ControllerFixture fixture, HealthCheckSettings settings)
    {
        Fixture = fixture;
        Book = new HealthBook();
        Status = new ControllerStatus(TimeProvider.System);
        fixture.NewReconciler(ControllerHost.HealthChecked(Book, settings));
        Loop = new ReconcileLoop(fixture.Reconciler, Status, TimeProvider.System, TimeSpan.FromSeconds(30), NullLogger<ReconcileLoop>.Instance);
        Monitor = new HealthMonitor(fixture.Reconciler, Loop, Book, fixture.Api, ProbeTargets.Mapped(() => fixture.Simulator.Control.HealthEndpoints),
            settings, TimeProvider.System, NullLogger<HealthMonitor>.Instance);
    }

    public ControllerFixture Fixture { get; }

    public HealthBook Book { get; }

    public ControllerStatus Status { get; }

    public ReconcileLoop Loop { get; }

    public HealthMonitor Monitor { get; }

    public static async Task<FailoverRig> StartAsync(Action<ScenarioFile>? scenario = null) =>
        new(await ControllerFixture.StartAsync(s =>
        {
            s.HealthEndpoints = true;
            scenario?.Invoke(s);
        }), new HealthCheckSettings { TimeoutMs = 200 });

    public async Task<ReconcileResult> PassAsync()
    {
        var result = await Fixture.PassAsync();
        Status.Record(result);
        return result;
    }

    public async Task RoundsAsync(int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Monitor.RoundAsync(CancellationToken.None);
        }
    }

    /// <summary>The ENI every table points a destination at (asserting they agree).</summary>
    public string TargetEni(string destination)
    {
        var enis = Fixture.Simulator.Control.Routes().Where(r => r.Destination == destination).Select(r => r.NetworkInterfaceId).Distinct().ToList();
        return Assert.Single(enis)!;
    }

    public async ValueTask DisposeAsync()
    {
        Loop.Dispose();
        Monitor.Dispose();
        await Fixture.DisposeAsync();
    }
}
