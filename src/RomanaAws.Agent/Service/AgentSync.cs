using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Routing;
using RomanaAws.Core.Agents;

namespace RomanaAws.Agent.Service;

/// <summary>Where the agent's desired state comes from: the controller's HTTP API or a file with the same JSON.</summary>
public sealed record AgentSource(Uri? Controller, string? DesiredFile, string InstanceId, string? PoliciesDirectory);

/// <summary>
/// One sync: read the desired state and the policies, compile (pure), diff routes against the kernel (pure), then
/// program exactly what differs. A failed policy load leaves the previous rules in force and is reported.
/// </summary>
public sealed class AgentSync(AgentSource source, LinuxKernel kernel, PolicyOptions options, HttpClient http, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AgentStatus Status { get; private set; } = AgentStatus.Initial;

    public async Task<AgentStatus> SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var desired = await DesiredAsync(cancellationToken);
            var policies = await PoliciesAsync(cancellationToken);
            var compiled = PolicyCompiler.Compile(policies, desired.Owners, options);
            await kernel.EnableForwardingAsync(cancellationToken);
            var want = RouteDiff.Desired(desired);
            var changes = RouteDiff.Diff(want, await kernel.RoutesAsync(cancellationToken));
            await kernel.ApplyRoutesAsync(changes, cancellationToken);
            var inSync = RouteDiff.Diff(want, await kernel.RoutesAsync(cancellationToken)).IsEmpty;
            await kernel.ApplyPolicyAsync(compiled, cancellationToken);
            Status = new AgentStatus(await kernel.ForwardingEnabledAsync(cancellationToken), inSync, true, time.GetUtcNow(), null, want.Count, changes.Count, compiled.RuleCount);
        }
        catch (Exception ex) when (ex is KernelException or HttpRequestException or IOException or JsonException or Core.Configuration.ConfigException && !cancellationToken.IsCancellationRequested)
        {
            Status = Status with { LastError = ex.Message, PolicyApplied = Status.PolicyApplied && ex is not KernelException };
        }

        return Status;
    }

    private async Task<AgentDesiredState> DesiredAsync(CancellationToken cancellationToken)
    {
        if (source.DesiredFile is { } file)
        {
            await using var stream = File.OpenRead(file);
            return await JsonSerializer.DeserializeAsync<AgentDesiredState>(stream, Json, cancellationToken) ?? throw new JsonException($"{file}: empty");
        }

        var url = new Uri(source.Controller!, $"v1/agents/{source.InstanceId}");
        return await http.GetFromJsonAsync<AgentDesiredState>(url, Json, cancellationToken) ?? throw new JsonException($"{url}: empty");
    }

    private async Task<IReadOnlyList<PolicySpec>> PoliciesAsync(CancellationToken cancellationToken)
    {
        if (source.PoliciesDirectory is not { } directory)
        {
            return [];
        }

        var policies = new List<PolicySpec>();
        foreach (var file in Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            policies.AddRange(PolicyReader.Parse(await File.ReadAllTextAsync(file, cancellationToken), file));
        }

        return policies;
    }
}
