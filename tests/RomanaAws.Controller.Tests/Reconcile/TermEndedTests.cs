using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Controller.Api;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Leadership;
using static RomanaAws.Controller.Tests.Eventually;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>The loop around a pass the fence stopped: "term ended", visible in /readyz, not a failure; no write after it.</summary>
public sealed class TermEndedTests
{
    [Fact]
    public async Task Loop_FenceRefusesMidApply_RecordedAsStopped_NotAsAFailure_NoWriteAfter()
    {
        await using var world = await FakeWorld.StartAsync();
        var replica = new TestReplica();
        using var reconciler = world.Reconciler(new ReconcilerDependencies { Fence = new LeaseWriteFence(replica) });
        var status = new ControllerStatus(TimeProvider.System);
        using var loop = new ReconcileLoop(reconciler, status, TimeProvider.System, TimeSpan.FromMinutes(10), NullLogger<ReconcileLoop>.Instance, replica);
        world.Ec2.BeforeCall = call =>
        {
            if (call.IsMutating)
            {
                replica.LoseLease();
            }
        };

        await loop.StartAsync(CancellationToken.None);
        await UntilAsync(() => status.LastStopped is not null, "the pass stops");
        var writes = world.MutatingCalls;
        loop.Trigger("after the term");
        await UntilAsync(() => status.LastRefresh is not null, "the replica keeps warm as a standby");
        await loop.StopAsync(CancellationToken.None);

        Assert.Contains("lease may have run out", status.LastStopped!.Reason, StringComparison.Ordinal);
        Assert.Equal(1, status.Stopped);
        Assert.Null(status.Last);
        Assert.Null(status.LastFailure);
        Assert.Equal(0, status.ReconcileErrors);
        Assert.InRange(writes, 1, 3);
        Assert.Equal(writes, world.MutatingCalls);

        using var ready = await ReadyzAsync(status, loop, reconciler);
        Assert.Contains("lease may have run out", ready.RootElement.GetProperty("lastStopped").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The controller's API over this status, on a loopback port of its own; GET /readyz.</summary>
    private static async Task<JsonDocument> ReadyzAsync(ControllerStatus status, ReconcileLoop loop, Reconciler reconciler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<JsonOptions>(o => ControllerHost.Json(o.SerializerOptions));
        await using var app = builder.Build();
        ControllerApi.Map(app, status, loop, "demo.k8s.local", TimeSpan.FromSeconds(30), TimeProvider.System, reconciler: reconciler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var answer = await http.GetAsync(new Uri("readyz", UriKind.Relative)); // 200 or 503: both carry lastStopped
        var document = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        await app.StopAsync();
        return document;
    }
}
