using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using RomanaAws.Core.Leadership;

namespace RomanaAws.Etcd;

/// <summary>
/// One leader among the controller replicas, on an etcd lease (TTL <see cref="EtcdOptions.LeaseSeconds"/>, 2 s by
/// default, far below client-go's 15 s): the replica that creates <c>PREFIX/leader</c> (attached to its lease) leads
/// until the lease ends; the others watch the key and campaign the moment it goes. The leader renews every third of
/// the TTL and steps down at once — cancelling <see cref="Term"/> — when its own <see cref="LeaseClock"/> says the
/// lease may have run out, so a paused or partitioned old leader stops before a new one can start. Every state write
/// compares the key's create revision (<see cref="Current"/>), so a write of an ended term fails in etcd as well.
/// </summary>
public sealed partial class LeaderElection : ILeaderFence, IAsyncDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaseClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private LeaderToken? _token;
    private CancellationTokenSource _term = new();
    private Task? _run;
    private int _disposed;

    public LeaderElection(EtcdConnection etcd, string identity, string holderValue, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(etcd);
        _etcd = etcd;
        Identity = identity;
        HolderValue = holderValue;
        _time = time;
        _logger = logger;
        Key = etcd.Options.Prefix + "leader";
        Ttl = TimeSpan.FromSeconds(etcd.Options.LeaseSeconds);
        _clock = new LeaseClock(time, TimeSpan.FromMilliseconds(Math.Min(250, Ttl.TotalMilliseconds / 8)));
        _term.Cancel();
    }

    public string Identity { get; }

    /// <summary>What the leader key holds while this replica leads (its identity and API address, for forwarding).</summary>
    public string HolderValue { get; }

    public string Key { get; }

    public TimeSpan Ttl { get; }

    public LeaderRole Role { get; private set; } = LeaderRole.Unknown;

    /// <summary>The leader key's value as last seen (the current leader's identity and address), or null.</summary>
    public string? Leader { get; private set; }

    /// <summary>Raised (on the election's thread) when this replica becomes leader or stops being it.</summary>
    public event Action<LeaderRole>? RoleChanged;

    public LeaderToken? Current
    {
        get
        {
            lock (_gate)
            {
                return _token is not null && _clock.Valid ? _token : null;
            }
        }
    }

    /// <summary>Cancelled when the current term ends (already cancelled while not leading).</summary>
    public CancellationToken Term
    {
        get
        {
            lock (_gate)
            {
                return _term.Token;
            }
        }
    }

    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CampaignOnceAsync(stop);
            }
            catch (Exception ex) when (ex is EtcdUnavailableException or RpcException or IOException && !stop.IsCancellationRequested)
            {
                StepDown($"etcd: {ex.Message}");
                Role = LeaderRole.Unknown;
                LogEtcdTrouble(ex.Message);
                await Delay(Ttl / 4, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Grants a lease, keeps it alive, and contends for the key until the lease is lost.</summary>
    private async Task CampaignOnceAsync(CancellationToken stop)
    {
        var sent = _time.GetTimestamp();
        var grant = await _etcd.RunAsync(() => _etcd.Leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Ttl.TotalSeconds }, _etcd.Call(stop)).ResponseAsync);
        var lease = grant.ID;
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var keepAlive = KeepAliveAsync(lease, sent, TimeSpan.FromSeconds(grant.TTL), leaseLost);
        var watchdog = WatchClockAsync(leaseLost);
        try
        {
            while (!leaseLost.IsCancellationRequested)
            {
                var txn = new TxnRequest
                {
                    Compare = { new Compare { Key = ByteString.CopyFromUtf8(Key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 } },
                    Success = { new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(Key), Value = ByteString.CopyFromUtf8(HolderValue), Lease = lease } } },
                    Failure = { new RequestOp { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(Key) } } },
                };
                var result = await _etcd.TxnAsync(txn, leaseLost.Token);
                if (result.Succeeded)
                {
                    BecomeLeader(new LeaderToken(Key, result.Header.Revision, Identity));
                    await Task.WhenAny(keepAlive, Task.Delay(Timeout.InfiniteTimeSpan, leaseLost.Token));
                    break;
                }

                var holder = result.Responses[0].ResponseRange.Kvs.FirstOrDefault();
                if (holder is null)
                {
                    continue; // gone between compare and read: contend again
                }

                Follow(holder.Value.ToStringUtf8());
                await WaitDeletedAsync(result.Header.Revision, leaseLost.Token);
            }
        }
        finally
        {
            StepDown("lease lost or not renewed in time");
            await leaseLost.CancelAsync();
            try
            {
                await keepAlive;
                await watchdog;
            }
            catch (OperationCanceledException)
            {
            }

            await RevokeQuietlyAsync(lease);
        }
    }

    /// <summary>
    /// Ends the term the moment the lease clock runs out, without waiting for the renewal loop to notice (after a
    /// SIGSTOP, the first thing a resumed process should learn is that it no longer leads).
    /// </summary>
    private async Task WatchClockAsync(CancellationTokenSource leaseLost)
    {
        while (!leaseLost.IsCancellationRequested)
        {
            bool expired;
            lock (_gate)
            {
                expired = _token is not null && !_clock.Valid;
            }

            if (expired)
            {
                StepDown("the lease may have expired: no renewal came back in time");
                await leaseLost.CancelAsync();
                return;
            }

            await Delay(TimeSpan.FromMilliseconds(20), leaseLost.Token);
        }
    }

    /// <summary>Renews every third of the TTL; cancels <paramref name="leaseLost"/> when the lease is gone or the clock ran out.</summary>
    private async Task KeepAliveAsync(long lease, long grantedAt, TimeSpan ttl, CancellationTokenSource leaseLost)
    {
        lock (_gate)
        {
            _clock.Renewed(grantedAt, ttl);
        }

        using var call = _etcd.Leases.LeaseKeepAlive(cancellationToken: leaseLost.Token);
        try
        {
            while (!leaseLost.IsCancellationRequested)
            {
                await Delay(ttl / 3, leaseLost.Token);
                var sent = _time.GetTimestamp();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(leaseLost.Token);
                wait.CancelAfter(ttl / 3);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, wait.Token);
                if (!await call.ResponseStream.MoveNext(wait.Token) || call.ResponseStream.Current.TTL <= 0)
                {
                    break;
                }

                lock (_gate)
                {
                    _clock.Renewed(sent, TimeSpan.FromSeconds(call.ResponseStream.Current.TTL));
                }
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException)
        {
            // A renewal that did not come back in time: the clock decides; without a later renewal the lease is lost.
        }
        finally
        {
            lock (_gate)
            {
                _clock.Lost();
            }

            await leaseLost.CancelAsync();
        }
    }

    /// <summary>
    /// Returns when the leader key is gone (the leader's lease ended): by a watch from <paramref name="revision"/>, and
    /// by reading the key every eighth of the TTL as well, because a watch stream on a member that lost the raft leader
    /// can stay open and silent.
    /// </summary>
    private async Task WaitDeletedAsync(long revision, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchDeletedAsync(revision, done.Token);
        var poll = PollDeletedAsync(done.Token);
        var first = await Task.WhenAny(watch, poll);
        await done.CancelAsync();
        try
        {
            await Task.WhenAll(watch, poll);
        }
        catch (Exception) when (first.IsCompletedSuccessfully && !cancellationToken.IsCancellationRequested)
        {
            // The other one was cancelled (or failed) after the first saw the key go.
        }
    }

    private async Task PollDeletedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Delay(Ttl / 8, cancellationToken);
            var response = await _etcd.RunAsync(() => _etcd.Kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(Key) }, _etcd.Call(cancellationToken)).ResponseAsync);
            if (response.Kvs.Count == 0)
            {
                return;
            }
        }
    }

    private async Task WatchDeletedAsync(long revision, CancellationToken cancellationToken)
    {
        using var call = _etcd.Watches.Watch(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(Key), StartRevision = revision + 1 } }, cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            var response = call.ResponseStream.Current;
            if (response.Canceled || response.Events.Any(e => e.Type == Mvccpb.Event.Types.EventType.Delete))
            {
                return;
            }

            if (response.Events.LastOrDefault() is { } put)
            {
                Follow(put.Kv.Value.ToStringUtf8());
            }
        }
    }

    private void BecomeLeader(LeaderToken token)
    {
        lock (_gate)
        {
            _token = token;
            _term.Dispose();
            _term = new CancellationTokenSource();
        }

        Leader = HolderValue;
        Role = LeaderRole.Leader;
        LogLeader(Identity, token.CreateRevision);
        RoleChanged?.Invoke(LeaderRole.Leader);
    }

    private void Follow(string holder)
    {
        if (Leader != holder)
        {
            Leader = holder;
            LogFollowing(Identity, holder);
        }

        Role = LeaderRole.Follower;
    }

    private void StepDown(string why)
    {
        CancellationTokenSource? ended = null;
        lock (_gate)
        {
            if (_token is not null)
            {
                _token = null;
                ended = _term;
            }
        }

        if (ended is not null)
        {
            ended.Cancel();
            Role = LeaderRole.Unknown;
            LogSteppedDown(Identity, why);
            RoleChanged?.Invoke(LeaderRole.Follower);
        }
    }

    private async Task RevokeQuietlyAsync(long lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _etcd.Leases.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, _etcd.Call(timeout.Token));
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            // The lease expires on its own.
        }
    }

    private Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    /// <summary>Stops campaigning; a leader steps down and revokes its lease, so a standby takes over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
        _term.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, EventId = 1401, EventName = "LeaderElected", Message = "Leader change: {Identity} is now the leader (term at etcd revision {Revision})")]
    private partial void LogLeader(string identity, long revision);

    [LoggerMessage(Level = LogLevel.Information, EventId = 1402, EventName = "Following", Message = "{Identity} is a hot standby; the leader is {Holder}")]
    private partial void LogFollowing(string identity, string holder);

    [LoggerMessage(Level = LogLevel.Warning, EventId = 1403, EventName = "LeaderSteppedDown", Message = "Leader change: {Identity} stepped down ({Why}); no route or state write until it leads again")]
    private partial void LogSteppedDown(string identity, string why);

    [LoggerMessage(Level = LogLevel.Warning, EventId = 1404, EventName = "ElectionEtcdTrouble", Message = "Leader election cannot reach etcd: {Error}; not leading, retrying")]
    private partial void LogEtcdTrouble(string error);
}
