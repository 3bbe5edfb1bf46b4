using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Service;

/// <summary>
/// The agent's side of the controller's block API (docs/agent.md, "Block claims"): claim a block for an owner, give one
/// back, report per-block usage. Thin: one HTTP call each; a refusal is a <see cref="ControllerApiException"/> with the
/// controller's status and message, an unreachable controller an <see cref="HttpRequestException"/>.
/// </summary>
public sealed class ControllerBlocksClient(HttpClient http, Uri controller, string instanceId)
{
    private Uri Agent(string rest) => new(controller, $"v1/agents/{Uri.EscapeDataString(instanceId)}/{rest}");

    /// <summary>A new block for <paramref name="owner"/> (in <paramref name="network"/>, null = the first), saved by the controller before it answers.</summary>
    public async Task<BlockClaim> ClaimAsync(string owner, CancellationToken cancellationToken, string? network = null)
    {
        var url = Agent("blocks");
        using var response = await http.PostAsJsonAsync(url, new BlockClaimRequest(owner, network), AgentSync.Json, cancellationToken);
        await EnsureSuccessAsync(response, url, cancellationToken);
        return await response.Content.ReadFromJsonAsync<BlockClaim>(AgentSync.Json, cancellationToken) ?? throw new JsonException($"{url}: empty answer");
    }

    /// <summary>Gives an empty block back; false when the controller already had it free.</summary>
    public async Task<bool> ReleaseAsync(Cidr cidr, CancellationToken cancellationToken)
    {
        var url = Agent($"blocks/{Uri.EscapeDataString(cidr.ToString())}");
        using var response = await http.DeleteAsync(url, cancellationToken);
        await EnsureSuccessAsync(response, url, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<BlockRelease>(AgentSync.Json, cancellationToken) ?? throw new JsonException($"{url}: empty answer")).Released;
    }

    /// <summary>Addresses in use per block of this node (for <c>ipam show</c>, metrics, and the controller's give-back check).</summary>
    public async Task ReportUsageAsync(IReadOnlyDictionary<Cidr, int> usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var url = Agent("usage");
        var body = new UsageReport(usage.ToDictionary(u => u.Key.ToString(), u => u.Value, StringComparer.Ordinal));
        using var response = await http.PutAsJsonAsync(url, body, AgentSync.Json, cancellationToken);
        await EnsureSuccessAsync(response, url, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? message = null;
        try
        {
            message = JsonSerializer.Deserialize<AgentApiError>(text, AgentSync.Json)?.Error;
        }
        catch (JsonException)
        {
            // Not the controller's error JSON (a proxy's page, say): quote it, capped.
        }

        throw new ControllerApiException(response.StatusCode, $"{url}: {(int)response.StatusCode} {response.ReasonPhrase}: {message ?? Echo.Cap(text, 200)}");
    }
}
