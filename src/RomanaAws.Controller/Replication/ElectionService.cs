using Microsoft.Extensions.Hosting;
using RomanaAws.Etcd;

namespace RomanaAws.Controller.Replication;

/// <summary>
/// Runs the leader election and the standby's state watch for the host's lifetime. On shutdown the leader revokes its
/// lease, so a rolling update hands over at once instead of after the TTL.
/// </summary>
public sealed class ElectionService(LeaderElection election, StateWatch watch, Func<long> revision, Action changed) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        election.Start();
        _watch = watch.RunAsync(revision, changed, _stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_watch is not null)
        {
            await _watch;
        }

        await election.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
    }
}
