using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using RomanaAws.Agent.Service;
using RomanaAws.Core.Agents;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Controller.Tests.Replication;

/// <summary>
/// Agents claiming blocks all along, in turn through each replica still running (a standby forwards to the leader):
/// every claim answered 201 is kept, to check afterwards that etcd holds each exactly once. Refused or unanswered
/// claims (no leader for a moment, a replica frozen or killed) are counted, not kept: the agent would retry them.
/// </summary>
internal sealed class ClaimLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _unanswered;

    public ClaimLoad(IReadOnlyList<ControllerProcess> via, IReadOnlyList<string> hosts)
    {
        _run = Task.Run(() => RunAsync(via, hosts, _stop.Token));
    }

    public ConcurrentQueue<BlockClaim> Answered { get; } = new();

    public int Unanswered => _unanswered;

    /// <summary>Waits until at least <paramref name="count"/> claims were answered.</summary>
    public async Task UntilAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Answered.Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{Answered.Count} of {count} claims answered within 30 s ({_unanswered} not answered)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<ControllerProcess> via, IReadOnlyList<string> hosts, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var replica = via[i % via.Count];
            if (replica.HasExited)
            {
                continue;
            }

            var host = hosts[i % hosts.Count];
            try
            {
                using var claim = await replica.Http.PostAsJsonAsync(new Uri($"v1/agents/{host}/blocks", UriKind.Relative), new BlockClaimRequest($"ns-{i % 3}"), AgentSync.Json, stop);
                if (claim.StatusCode == HttpStatusCode.Created)
                {
                    Answered.Enqueue((await claim.Content.ReadFromJsonAsync<BlockClaim>(AgentSync.Json, stop))!);
                    continue;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _unanswered);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
