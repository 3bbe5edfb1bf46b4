using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RomanaAws.Agent.Ipam;
using RomanaAws.CniProtocol;

namespace RomanaAws.Agent.Cni;

/// <summary>
/// The agent's API for the CNI plugin, served on a root-only unix socket (see <see cref="CniSocketHost"/>):
/// <c>POST /v1/cni/add</c>, <c>POST /v1/cni/del</c>, <c>POST /v1/cni/check</c>, <c>POST /v1/cni/gc</c>,
/// <c>GET /v1/cni/status</c>. Errors carry the CNI code the
/// plugin passes on: 4 for a request it should never have sent, 7 when the pod names a pod network the topology does
/// not have, 11 when no address is free yet (try again later).
/// </summary>
public static class CniSocketApi
{
    /// <param name="claim">When an ADD finds no free address in its pool: ask the controller for a block now (null: no
    /// controller, the blocks come from a file); answers null when a block came, else why not.</param>
    /// <param name="owners">Decides a pod's owner and network from the Kubernetes API (namespace, name); null: the plugin's owner stands, in the default network.</param>
    public static void Map(
        WebApplication app, PodAddressService addresses, Func<CniStatus> status, Func<Ipam.AddressPool, CancellationToken, Task<string?>>? claim = null,
        Func<string, string, CancellationToken, Task<Kubernetes.OwnerDecision>>? owners = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(status);
        app.MapGet("/v1/cni/status", () => Results.Json(status()));
        app.MapPost("/v1/cni/gc", (CniGcRequest request) =>
        {
            if (request.Valid is null || request.Valid.Any(v => Invalid(v.ContainerId, v.IfName) is not null))
            {
                return Results.Json(new CniProblem(7, "cni.dev/valid-attachments: every entry needs a containerID (1–256 characters) and an ifname (1–15)"), statusCode: StatusCodes.Status400BadRequest);
            }

            var released = addresses.KeepOnly(request.Valid.Select(v => new AttachmentKey(v.ContainerId, v.IfName)).ToHashSet());
            return Results.Json(new CniGcResult(released.Select(k => new CniKeyRequest(k.ContainerId, k.IfName)).ToList()));
        });
        app.MapPost("/v1/cni/add", async (CniAddRequest request, CancellationToken cancellationToken) =>
        {
            var problem = Invalid(request.ContainerId, request.IfName) ?? (string.IsNullOrWhiteSpace(request.Owner) ? "owner is empty" : null);
            if (problem is not null)
            {
                return Results.Json(new CniProblem(4, problem), statusCode: StatusCodes.Status400BadRequest);
            }

            var key = new AttachmentKey(request.ContainerId, request.IfName);
            var (pool, refusal) = await PoolAsync(request, key, addresses, owners, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            var result = addresses.Add(key, pool, request.Netns);
            if (!result.Succeeded && claim is not null && addresses.Find(key) is null)
            {
                // Rare: the watermark claims ahead of need. Here a pool is new on this node, or a burst outran it.
                result = await claim(pool, cancellationToken) is { } why
                    ? AllocationResult.NoFreeAddress($"{result.Problem}, and {why}")
                    : addresses.Add(key, pool, request.Netns);
            }

            return result.Attachment is { } a
                ? Results.Json(new CniAddress(a.Address.ToString(), a.Block.ToString(), result.Existing))
                : Results.Json(new CniProblem(11, result.Problem!), statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPost("/v1/cni/del", (CniKeyRequest request) =>
            Invalid(request.ContainerId, request.IfName) is { } problem
                ? Results.Json(new CniProblem(4, problem), statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(new CniReleased(addresses.Delete(new AttachmentKey(request.ContainerId, request.IfName)))));
        app.MapPost("/v1/cni/check", (CniKeyRequest request) =>
            Invalid(request.ContainerId, request.IfName) is { } problem
                ? Results.Json(new CniProblem(4, problem), statusCode: StatusCodes.Status400BadRequest)
                : addresses.Find(new AttachmentKey(request.ContainerId, request.IfName)) is { } a
                    ? Results.Json(new CniAddress(a.Address.ToString(), a.Block.ToString(), true))
                    : Results.Json(new CniProblem(11, $"no address is held for {request.ContainerId}/{request.IfName}"), statusCode: StatusCodes.Status404NotFound));
    }

    /// <summary>
    /// The pool a new address comes from: the plugin's owner in the default network; with the API, the pod's owner and
    /// its <c>romana.io/network</c> (read at the first ADD: a repeated ADD gets the address it holds). An unknown
    /// network is refused with code 7, naming it and the topology's networks.
    /// </summary>
    private static async Task<(AddressPool Pool, IResult? Refusal)> PoolAsync(
        CniAddRequest request, AttachmentKey key, PodAddressService addresses, Func<string, string, CancellationToken, Task<Kubernetes.OwnerDecision>>? owners, CancellationToken cancellationToken)
    {
        var plugin = new AddressPool(request.Owner);
        if (owners is null || request.PodNamespace is not { } podNamespace || request.PodName is not { } podName)
        {
            return (plugin, null);
        }

        if (addresses.Find(key) is { } held)
        {
            return (held.Pool, null);
        }

        var decision = await owners(podNamespace, podName, cancellationToken);
        if (decision.Owner is null)
        {
            return (plugin, Results.Json(new CniProblem(11, decision.Problem!), statusCode: StatusCodes.Status503ServiceUnavailable));
        }

        var network = addresses.ResolveNetwork(decision.Network);
        return network.Problem is not { } unknown ? (new AddressPool(decision.Owner, network.Network), null)
            : network.TryAgain ? (plugin, Results.Json(new CniProblem(11, $"pod {podNamespace}/{podName}: {unknown}"), statusCode: StatusCodes.Status503ServiceUnavailable))
            : (plugin, Results.Json(new CniProblem(7, $"pod {podNamespace}/{podName}: {unknown}"), statusCode: StatusCodes.Status422UnprocessableEntity));
    }

    private static string? Invalid(string? containerId, string? ifName) =>
        string.IsNullOrWhiteSpace(containerId) || containerId.Length > 256 ? "containerId must be 1–256 characters"
        : string.IsNullOrWhiteSpace(ifName) || System.Text.Encoding.UTF8.GetByteCount(ifName) > 15 ? "ifName must be 1–15 bytes (a Linux interface name)"
        : null;
}
