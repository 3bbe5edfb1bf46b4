using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Api;

/// <summary>
/// The agents' block API (docs/agent.md, "Block claims"): claim a block for an owner, give one back, report usage.
/// 201/200/204 on success; 400 bad input, 404 unknown host, 409 block still in use, 507 the host's group has no free
/// block, 503 the state could not be saved (this replica stopped leading included). Every refusal is <see cref="AgentApiError"/> JSON.
/// </summary>
public static class AgentBlocksApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    public static void Map(IEndpointRouteBuilder app, Reconciler reconciler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(reconciler);
        app.MapPost("/v1/agents/{instanceId}/blocks", (string instanceId, HttpRequest request, CancellationToken ct) => Guard(instanceId, async () =>
        {
            var body = await ReadAsync<BlockClaimRequest>(request, ct);
            if (body.Owner is null)
            {
                throw new IpamException("owner is missing; give the namespace the block is for, such as {\"owner\": \"default\"}");
            }

            return await reconciler.ClaimBlockAsync(instanceId, body.Owner, body.Network, ct) is { } block
                ? Results.Json(new BlockClaim(block.Cidr, block.Owner, block.InstanceId, block.Network), Json, statusCode: StatusCodes.Status201Created)
                : null;
        }));
        app.MapDelete("/v1/agents/{instanceId}/blocks/{*cidr}", (string instanceId, string cidr, CancellationToken ct) => Guard(instanceId, async () =>
        {
            var block = ParseCidr(Uri.UnescapeDataString(cidr), "cidr in the path");
            return await reconciler.ReleaseBlockAsync(instanceId, block, ct) is { } released ? Results.Json(new BlockRelease(released), Json) : null;
        }));
        app.MapPut("/v1/agents/{instanceId}/usage", (string instanceId, HttpRequest request, CancellationToken ct) => Guard(instanceId, async () =>
        {
            var body = await ReadAsync<UsageReport>(request, ct);
            var used = new Dictionary<Cidr, int>();
            foreach (var (key, count) in body.Blocks ?? throw new IpamException("blocks is missing; give {\"blocks\": {\"CIDR\": addresses in use, ...}}"))
            {
                if (!used.TryAdd(ParseCidr(key, "blocks key"), count))
                {
                    throw new IpamException($"blocks key '{Echo.Cap(key, 64)}' names a block listed twice");
                }
            }

            return await reconciler.ReportUsageAsync(instanceId, used, ct) ? Results.NoContent() : null;
        }));
    }

    /// <summary>Runs a handler, mapping a null answer to 404 and each refusal to its status code.</summary>
    private static async Task<IResult> Guard(string instanceId, Func<Task<IResult?>> handler)
    {
        try
        {
            return await handler() ?? Error(StatusCodes.Status404NotFound, $"host {Echo.Cap(instanceId, 64)} is not registered; the controller registers cluster instances as it sees them in EC2");
        }
        catch (IpamExhaustedException ex)
        {
            return Error(StatusCodes.Status507InsufficientStorage, ex.Message);
        }
        catch (BlockInUseException ex)
        {
            return Error(StatusCodes.Status409Conflict, ex.Message);
        }
        catch (IpamException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (BadHttpRequestException)
        {
            throw; // a body over the limit (ApiGuard answers 413); not a state problem
        }
        catch (Exception ex) when (ex is StateConflictException or IpamStateException or IOException or UnauthorizedAccessException or Core.Leadership.NotLeaderException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, $"the IPAM state could not be saved: {Echo.CapMessage(ex.Message)}; retry later");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Json, cancellationToken) ?? throw new IpamException("request body is null; send a JSON object");
        }
        catch (JsonException ex)
        {
            throw new IpamException($"request body is not valid JSON for this call (at {ex.Path ?? "$"}): {Echo.CapMessage(ex.Message)}");
        }
    }

    private static Cidr ParseCidr(string text, string field) =>
        Cidr.TryParse(text, out var cidr, out var error) ? cidr : throw new IpamException($"{field} '{Echo.Cap(text, 64)}' is not a block CIDR such as 100.96.0.16/28: {error}");

    private static IResult Error(int status, string message) => Results.Json(new AgentApiError(message), Json, statusCode: status);
}
