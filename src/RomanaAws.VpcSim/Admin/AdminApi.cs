using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RomanaAws.VpcSim.Ec2;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.VpcSim.Admin;

/// <summary>The admin API: JSON under <c>/_sim/</c>, a path no AWS action uses. Same operations as <see cref="SimulatorControl"/>.</summary>
internal static class AdminApi
{
    public const string Prefix = "/_sim";

    public static void Map(IEndpointRouteBuilder app, SimulatorControl control)
    {
        var sim = app.MapGroup(Prefix);
        sim.MapGet("/", () => Results.Json(new { instances = control.Instances().Select(i => new { i.Id, i.Name, i.State, i.PrivateIp }), calls = control.Calls, faults = Describe(control.Faults) }));
        sim.MapGet("/calls", () => Results.Json(control.Calls));
        sim.MapDelete("/calls", () => { control.ResetCalls(); return Results.NoContent(); });
        sim.MapPost("/instances/{id}/{operation}", (string id, string operation) => Guard(async () =>
        {
            await (operation switch
            {
                "stop" => control.StopInstanceAsync(id),
                "start" => control.StartInstanceAsync(id),
                "terminate" => control.TerminateInstanceAsync(id),
                _ => throw new ArgumentException($"unknown operation '{InputEcho.Of(operation)}'; use stop, start or terminate"),
            });
            return Results.NoContent();
        }));
        sim.MapPut("/instances/{id}/health", (string id, HealthRequest body) => Guard(() =>
        {
            control.SetHealthFailing(id, body.Failing);
            return Task.FromResult(Results.NoContent());
        }));
        sim.MapPut("/instances/{id}/status", (string id, StatusRequest body) => Guard(() =>
        {
            control.SetStatus(id, body.Impaired, body.ScheduledEvent);
            return Task.FromResult(Results.NoContent());
        }));
        sim.MapGet("/faults", () => Results.Json(Describe(control.Faults)));
        sim.MapPut("/faults", (FaultRequest body) => Guard(() =>
        {
            control.Faults = body.ToSettings();
            return Task.FromResult(Results.NoContent());
        }));
        sim.MapDelete("/faults", () => { control.Faults = FaultSettings.None; return Results.NoContent(); });
        sim.MapGet("/health-endpoints", () => Results.Json(control.HealthEndpoints.ToDictionary(e => e.Key, e => e.Value.ToString())));
        sim.MapPost("/reset", async () => { await control.ResetAsync(); return Results.NoContent(); });
    }

    private static object Describe(FaultSettings f) => new
    {
        latencyMs = f.Latency.TotalMilliseconds,
        jitterMs = f.Jitter.TotalMilliseconds,
        f.ServerErrorRate,
        f.ThrottleRate,
        f.FailActions,
        unauthorizedActions = f.UnauthorizedActions,
    };

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (Ec2Exception ex)
        {
            return Results.Json(new { error = ex.Code, message = ex.Message }, statusCode: StatusCodes.Status404NotFound);
        }
        catch (ArgumentException ex)
        {
            return Results.Json(new { error = "BadRequest", message = ex.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    internal sealed record HealthRequest(bool Failing);

    internal sealed record StatusRequest(bool Impaired, string? ScheduledEvent);

    internal sealed record FaultRequest(
        double LatencyMs = 0,
        double JitterMs = 0,
        double ServerErrorRate = 0,
        double ThrottleRate = 0,
        Dictionary<string, string>? FailActions = null,
        string[]? UnauthorizedActions = null)
    {
        public FaultSettings ToSettings()
        {
            if (LatencyMs < 0 || JitterMs < 0 || ServerErrorRate is < 0 or > 1 || ThrottleRate is < 0 or > 1)
            {
                throw new ArgumentException("latencyMs and jitterMs must be ≥ 0; serverErrorRate and throttleRate must be between 0 and 1");
            }

            var unknown = (FailActions?.Keys.AsEnumerable() ?? []).Concat(UnauthorizedActions ?? [])
                .FirstOrDefault(a => !Ec2Actions.ByName.ContainsKey(a) && !CloudWatch.CloudWatchActions.ByName.ContainsKey(a));
            if (unknown is not null)
            {
                throw new ArgumentException($"unknown action '{InputEcho.Of(unknown)}'");
            }

            return new FaultSettings
            {
                Latency = TimeSpan.FromMilliseconds(LatencyMs),
                Jitter = TimeSpan.FromMilliseconds(JitterMs),
                ServerErrorRate = ServerErrorRate,
                ThrottleRate = ThrottleRate,
                FailActions = FailActions ?? [],
                UnauthorizedActions = (UnauthorizedActions ?? []).ToHashSet(StringComparer.Ordinal),
            };
        }
    }
}
