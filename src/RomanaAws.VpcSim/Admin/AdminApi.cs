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
        sim.MapGet("/dataplane", () => Results.Json(control.Dataplane()));
        sim.MapDelete("/calls", () => { control.ResetCalls(); return Results.NoContent(); });
        sim.MapGet("/writes", () => Results.Json(control.Writes));
        sim.MapDelete("/writes", () => { control.ResetWrites(); return Results.NoContent(); });
        sim.MapPost("/instances/{id}/{operation}", (string id, string operation) => Guard(async () =>
        {
            await (operation switch
            {
                "stop" => control.StopInstanceAsync(id),
                "start" => control.StartInstanceAsync(id),
                "terminate" => control.TerminateInstanceAsync(id),
                "clone" => Task.CompletedTask,
                _ => throw new ArgumentException($"unknown operation '{InputEcho.Of(operation)}'; use stop, start, terminate or clone"),
            });
            if (operation == "clone")
            {
                var (newId, privateIp) = await control.CloneInstanceAsync(id);
                return Results.Json(new { id = newId, privateIp }, statusCode: StatusCodes.Status201Created);
            }

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

    /// <summary>
    /// Middleware for the admin paths: a body that does not bind (bad JSON, wrong types) is a JSON 400 naming the
    /// problem, not an empty answer. Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>.
    /// </summary>
    public static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var why = ex.InnerException is System.Text.Json.JsonException json ? json.Message : ex.Message;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "BadRequest", message = InputEcho.Of(why) }, context.RequestAborted);
        }
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

    /// <summary>Ten minutes: longer would stall every call past any client's timeout.</summary>
    private const double MaxLatencyMs = 600_000;

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
            if (LatencyMs is < 0 or > MaxLatencyMs || JitterMs is < 0 or > MaxLatencyMs || ServerErrorRate is < 0 or > 1 || ThrottleRate is < 0 or > 1)
            {
                throw new ArgumentException(FormattableString.Invariant(
                    $"latencyMs ({LatencyMs}) and jitterMs ({JitterMs}) must be from 0 to {MaxLatencyMs}; serverErrorRate ({ServerErrorRate}) and throttleRate ({ThrottleRate}) from 0 to 1"));
            }

            var badCode = (FailActions ?? []).FirstOrDefault(a => !System.Text.RegularExpressions.Regex.IsMatch(a.Value ?? string.Empty, "^[A-Za-z][A-Za-z0-9.]{0,63}$"));
            if (badCode.Key is not null)
            {
                throw new ArgumentException($"failActions.{InputEcho.Of(badCode.Key)}: error code '{InputEcho.Of(badCode.Value)}' must be an AWS-style code of letters, digits and dots, such as InternalError");
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
