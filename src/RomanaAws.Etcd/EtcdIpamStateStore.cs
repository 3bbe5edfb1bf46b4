using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Persistence.Records;

namespace RomanaAws.Etcd;

/// <summary>
/// The IPAM state on etcd v3, one record per piece (<see cref="StateRecords"/>) under the cluster's prefix. A save
/// writes only the records that changed (<see cref="RecordPlan"/>), each in a transaction that compares every written
/// record's mod revision with the one last read (so two writers never both win, and nothing is overwritten blindly)
/// and, with a <see cref="ILeaderFence"/>, the leader key's create revision (so a replica whose term ended writes
/// nothing). A save too large for one transaction is split; readers then load the last complete revision until it
/// finishes. Not thread-safe: one writer (the controller's pass gate) at a time per instance.
/// </summary>
public sealed class EtcdIpamStateStore(EtcdConnection etcd, ILeaderFence? fence = null, string writer = "romana-aws") : IIpamStateStore
{
    private Dictionary<string, KnownRecord> _known = new(StringComparer.Ordinal);
    private long _complete;

    public string Source => $"etcd {etcd.Describe} {etcd.Options.StatePrefix}";

    /// <summary>The etcd revision of the last load or save (what a watch resumes from).</summary>
    public long Revision { get; private set; }

    public async Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        var (records, revision) = await etcd.RangeAsync(etcd.Options.StatePrefix, 0, cancellationToken);
        _known = records.ToDictionary(r => r.Key, r => new KnownRecord(r.Value.Value, r.Value.ModRevision), StringComparer.Ordinal);
        Revision = revision;
        var values = records.ToDictionary(r => r.Key, r => r.Value.Value, StringComparer.Ordinal);
        if (values.TryGetValue(StateRecords.InflightKey, out var inflightText))
        {
            // A split save is under way (or its writer died mid-way): read the state as it was before it began.
            var inflight = StateRecords.ReadInflight(inflightText, Source);
            values = await CompleteAsync(inflight, cancellationToken);
            _complete = inflight.CompleteRevision;
        }
        else
        {
            _complete = revision;
        }

        return StateRecords.FromRecords(values, revision, Source);
    }

    public async Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var token = fence is null ? null : fence.Current ?? throw new NotLeaderException($"{Source}: not saved: this replica is not the leader (or its lease may have run out)");
        if (expectedRevision == 0 && _known.ContainsKey(StateRecords.TopologyKey))
        {
            throw new StateConflictException(Source, 0, Revision);
        }

        var wanted = StateRecords.ToRecords(document, StateRecords.HostSeqs(_known.ToDictionary(k => k.Key, k => k.Value.Value, StringComparer.Ordinal)));
        var batches = RecordPlan.Plan(_known, wanted, etcd.Options.MaxTxnOps);
        foreach (var batch in batches)
        {
            await WriteAsync(batch, token, cancellationToken);
        }

        if (batches.Count > 0)
        {
            _complete = Revision;
        }

        return Revision;
    }

    private async Task WriteAsync(RecordBatch batch, LeaderToken? token, CancellationToken cancellationToken)
    {
        var prefix = etcd.Options.StatePrefix;
        var txn = new TxnRequest();
        if (token is not null)
        {
            txn.Compare.Add(new Compare { Key = Key(token.Key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = token.CreateRevision });
            txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Key(token.Key) } });
        }

        var writes = batch.Writes.ToList();
        if (batch.Split && batch.First)
        {
            var inflight = StateRecords.WriteInflight(new InflightValue(_complete, writer));
            writes.Add(new RecordWrite(StateRecords.InflightKey, inflight, _known.GetValueOrDefault(StateRecords.InflightKey)?.ModRevision ?? 0));
        }
        else if (batch.Split && batch.Last)
        {
            writes.Add(new RecordWrite(StateRecords.InflightKey, null, _known.GetValueOrDefault(StateRecords.InflightKey)?.ModRevision ?? 0));
        }

        foreach (var write in writes)
        {
            var key = Key(prefix + write.Key);
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = write.ExpectedModRevision });
            txn.Success.Add(write.Value is { } value
                ? new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(value) } }
                : new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
        }

        TxnResponse response;
        try
        {
            response = await etcd.TxnAsync(txn, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            throw new IpamStateException($"{Source}: etcd refused a transaction of {writes.Count} write(s): {ex.Status.Detail} (is its --max-txn-ops below state.etcd.maxTxnOps, {etcd.Options.MaxTxnOps}?)", ex);
        }

        if (!response.Succeeded)
        {
            var leader = token is null ? null : response.Responses.FirstOrDefault()?.ResponseRange?.Kvs.FirstOrDefault();
            if (token is not null && leader?.CreateRevision != token.CreateRevision)
            {
                throw new NotLeaderException($"{Source}: not saved: the leader key {token.Key} is no longer this replica's term (created at revision {token.CreateRevision}, now {leader?.CreateRevision.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"})");
            }

            throw new StateConflictException($"{Source}: state changed underneath this writer (a record it writes was modified since revision {Revision}); reload and retry");
        }

        Revision = response.Header.Revision;
        foreach (var write in writes)
        {
            if (write.Value is { } value)
            {
                _known[write.Key] = new KnownRecord(value, Revision);
            }
            else
            {
                _known.Remove(write.Key);
            }
        }
    }

    /// <summary>The records as of the last complete revision (before a split save began).</summary>
    private async Task<Dictionary<string, string>> CompleteAsync(InflightValue inflight, CancellationToken cancellationToken)
    {
        try
        {
            var (records, _) = await etcd.RangeAsync(etcd.Options.StatePrefix, inflight.CompleteRevision, cancellationToken);
            return records.Where(r => r.Key != StateRecords.InflightKey).ToDictionary(r => r.Key, r => r.Value.Value, StringComparer.Ordinal);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
        {
            throw new IpamStateException(
                $"{Source}: a save by '{inflight.Writer}' split over several transactions did not finish, and revision {inflight.CompleteRevision} before it was compacted away; " +
                "restore the state (romana-aws state migrate from a backup), or delete the 'inflight' record to load what was written", ex);
        }
    }

    private static ByteString Key(string key) => ByteString.CopyFromUtf8(key);
}
