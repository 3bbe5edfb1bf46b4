using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;

namespace RomanaAws.Controller.Api;

/// <summary>The controller's HTTP API (loopback by default): health, readiness, routes, IPAM, Prometheus metrics.</summary>
public static class ControllerApi
{
    public static void Map(IEndpointRouteBuilder app, ControllerStatus status, ReconcileLoop loop, string cluster, TimeSpan resync, TimeProvider time, Func<int>? unhealthyTargets = null,
        Reconciler? reconciler = null)
    {
        if (reconciler is not null)
        {
            // The node agents' contract (docs/agent.md): a node's group CIDRs, own blocks, same-subnet peers, owners.
            app.MapGet("/v1/agents/{instanceId}", async (string instanceId, CancellationToken ct) =>
                await reconciler.AgentStateAsync(instanceId, ct) is { } state
                    ? Results.Json(state)
                    : Results.Json(new { error = $"{instanceId} is not a registered host" }, statusCode: StatusCodes.Status404NotFound));
            AgentBlocksApi.Map(app, reconciler);
        }

        app.MapGet("/healthz", () =>
        {
            // Alive while passes keep completing (successfully or not); stuck if none finished for 3 resyncs + a minute.
            var last = status.LastPassAt ?? status.StartedAt;
            var stuck = time.GetUtcNow() - last > (resync * 3) + TimeSpan.FromMinutes(1);
            return Results.Json(new { status = stuck ? "stuck" : "ok", passes = status.Passes, consecutiveFailures = status.ConsecutiveFailures, lastPass = status.Last?.StartedAt },
                statusCode: stuck ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        app.MapGet("/readyz", () => status.Ready
            ? Results.Json(new { status = "ready", role = status.Role, lastSuccess = status.LastSuccess, lastRefresh = status.LastRefresh, lastStopped = status.LastStopped })
            : Results.Json(new { status = "not ready", role = status.Role, lastFailure = status.LastFailure, lastStopped = status.LastStopped }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/v1/routes", () => status.Last is { } last
            ? Results.Json(new
            {
                cluster,
                last.VpcId,
                selectedBy = last.TableSelection,
                at = last.StartedAt,
                inSync = last.Tables.All(t => t.InSync),
                tables = last.Tables.Select(t => new { t.RouteTableId, t.IsMain, t.Subnets, budget = t.Budget, t.Used, t.RouteLimit, t.RouteHeadroom, t.ForeignRoutes, t.InSync, routes = t.Routes }),
                warnings = last.Warnings,
                errors = last.Errors.Select(e => e.Message),
            })
            : Results.Json(new { status = "no reconcile pass yet" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/v1/ipam", () => status.Last is { } last
            ? Results.Json(reconciler?.CurrentBlocks is { } blocks ? last.Ipam with { Blocks = blocks } : last.Ipam)
            : Results.Json(new { status = "no reconcile pass yet" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", () => Results.Text(PrometheusText.Render(status, cluster, unhealthyTargets?.Invoke(), reconciler?.CurrentBlocks), PrometheusText.ContentType));
        app.MapPost("/v1/reconcile", () =>
        {
            loop.Trigger("api");
            return Results.Accepted();
        });
    }
}
