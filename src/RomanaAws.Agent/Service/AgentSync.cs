using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Agent.Kernel;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Routing;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Agent.Service;

/// <summary>Where the agent's desired state comes from: the controller's HTTP API or a file with the same JSON.</summary>
public sealed record AgentSource(Uri? Controller, string? DesiredFile, string InstanceId);

/// <summary>
/// One sync: read the desired state and the policies, compile (pure), diff routes against the kernel (pure), then
/// program exactly what differs. A failed policy load leaves the previous rules in force and is reported.
/// </summary>
/// <param name="bird">Drives BIRD when the desired state carries an advertisement (routing modes bgp and ospf); null: never.</param>
public sealed class AgentSync(AgentSource source, IPolicySource? policies, LinuxKernel kernel, PolicyOptions options, HttpClient http, TimeProvider time, Bird.BirdDaemon? bird = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What <see cref="PolicyChanged"/> is without a policy source: one task that never completes.</summary>
    private static readonly Task Never = new TaskCompletionSource().Task;

    private IReadOnlyList<KernelRoute>? _applied;
    private CompiledPolicy? _policy;

    public AgentStatus Status { get; private set; } = AgentStatus.Initial;

    /// <summary>Completes at the next change of the policy source (policies, pods, namespaces).</summary>
    public Task PolicyChanged => policies?.Changed ?? Never;

    /// <summary>The desired state of the last successful sync (null before the first).</summary>
    public AgentDesiredState? Desired { get; private set; }

    /// <summary>
    /// A full sync reads the kernel back (routes, forwarding) and reloads the policy: it repairs anything changed by
    /// hand, and is what the periodic resync does. An incremental sync (<paramref name="full"/> false) diffs the new
    /// desired state against what the last sync applied and reloads the policy only when its compiled form changed.
    /// </summary>
    public async Task<AgentStatus> SyncAsync(CancellationToken cancellationToken, bool full = true)
    {
        try
        {
            var started = time.GetTimestamp();
            var desired = await DesiredAsync(cancellationToken);
            var inputs = policies?.Read() ?? PolicyInputs.None;
            var read = time.GetElapsedTime(started);
            var compiled = PolicyCompiler.Compile(inputs.Policies, inputs.Cluster, desired.Owners, [.. desired.Blocks.Select(b => b.Cidr)], options);
            var compileTime = time.GetElapsedTime(started) - read;
            var incremental = !full && _applied is not null && _policy is not null;
            if (!incremental)
            {
                await kernel.EnableForwardingAsync(cancellationToken);
            }

            var want = RouteDiff.Desired(desired);
            var changes = RouteDiff.Diff(want, incremental ? _applied! : await kernel.RoutesAsync(cancellationToken));
            await kernel.ApplyRoutesAsync(changes, cancellationToken);
            var inSync = incremental || RouteDiff.Diff(want, await kernel.RoutesAsync(cancellationToken)).IsEmpty;
            await kernel.ApplyPolicyAsync(compiled, cancellationToken, incremental ? _policy : null);
            Bird.RoutingStatus? routing = null;
            if ((desired.Bgp is not null || desired.Ospf is not null) && bird is not null)
            {
                await bird.ApplyAsync(desired, cancellationToken);
                routing = await bird.StatusAsync(desired, cancellationToken);
            }

            _applied = want;
            _policy = compiled;
            Desired = desired;
            var forwarding = incremental ? Status.Forwarding : await kernel.ForwardingEnabledAsync(cancellationToken);
            Status = new AgentStatus(forwarding, inSync, true, time.GetUtcNow(), null, want.Count, changes.Count, compiled.RuleCount)
            {
                LastSync = new SyncTimings(read, compileTime, time.GetElapsedTime(started) - read - compileTime),
                Routing = routing,
            };
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested && source.Controller is { } controller)
        {
            // HttpClient's timeout: the controller is cut off (a node off the wire). Report it; the next tick retries.
            Status = Status with { LastError = $"the controller at {controller} did not answer within {http.Timeout.TotalSeconds:0.#} s ({ex.Message})" };
        }
        catch (Exception ex) when (ex is KernelException or HttpRequestException or IOException or JsonException or ConfigException && !cancellationToken.IsCancellationRequested)
        {
            Status = Status with { LastError = ex.Message, PolicyApplied = Status.PolicyApplied && ex is not KernelException };
        }

        return Status;
    }

    private async Task<AgentDesiredState> DesiredAsync(CancellationToken cancellationToken)
    {
        if (source.DesiredFile is { } file)
        {
            var text = InputFile.ReadText(file, "--desired");
            try
            {
                return JsonSerializer.Deserialize<AgentDesiredState>(text, Json) ?? throw new JsonException("null");
            }
            catch (JsonException ex)
            {
                throw new JsonException($"--desired {Path.GetFullPath(file)}: not the agent's desired-state JSON: {ex.Message}", ex);
            }
        }

        var url = new Uri(source.Controller!, $"v1/agents/{source.InstanceId}");
        return await http.GetFromJsonAsync<AgentDesiredState>(url, Json, cancellationToken) ?? throw new JsonException($"{url}: empty");
    }
}
