namespace RomanaAws.Core.Persistence.Records;

/// <summary>
/// What a save writes: the records that differ between what the store holds (<c>known</c>: value and mod revision as
/// last read or written) and what the state now is, in batches of at most <c>maxOps</c> operations per transaction
/// (etcd's <c>--max-txn-ops</c>, 128 by default; each batch keeps room for the leader fence and the <c>inflight</c>
/// record). Pure. Unchanged records are not written. Within a split save the order is puts (hosts before the slots
/// naming them, the topology last) then deletes; readers never see the half-written state (see <see cref="InflightValue"/>).
/// </summary>
public static class RecordPlan
{
    /// <summary>Operations per batch kept for the fence compare and the <c>inflight</c> put or delete.</summary>
    public const int Reserved = 2;

    public static IReadOnlyList<RecordBatch> Plan(IReadOnlyDictionary<string, KnownRecord> known, IReadOnlyDictionary<string, string> wanted, int maxOps)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(wanted);
        if (maxOps <= Reserved)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOps), maxOps, $"a transaction must allow more than {Reserved} operations (etcd's --max-txn-ops; default 128)");
        }

        var puts = wanted.Where(w => w.Key != StateRecords.InflightKey && (!known.TryGetValue(w.Key, out var k) || k.Value != w.Value))
            .OrderBy(w => Rank(w.Key)).ThenBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => new RecordWrite(w.Key, w.Value, known.TryGetValue(w.Key, out var k) ? k.ModRevision : 0));
        var deletes = known.Where(k => k.Key != StateRecords.InflightKey && !wanted.ContainsKey(k.Key))
            .OrderBy(k => -Rank(k.Key)).ThenBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new RecordWrite(k.Key, null, k.Value.ModRevision));
        var writes = puts.Concat(deletes).ToList();
        if (writes.Count == 0)
        {
            return [];
        }

        var size = maxOps - Reserved;
        var batches = writes.Chunk(size).ToList();
        return batches.Select((b, i) => new RecordBatch(b, i == 0, i == batches.Count - 1)).ToList();
    }

    /// <summary>Hosts and zones first, then slots and blocks that name them, the topology last (it marks the state complete).</summary>
    private static int Rank(string key) => key switch
    {
        _ when key.StartsWith("hosts/", StringComparison.Ordinal) => 0,
        _ when key.StartsWith("zones/", StringComparison.Ordinal) => 1,
        _ when key.StartsWith("subnets/", StringComparison.Ordinal) => 2,
        _ when key.StartsWith("blocks/", StringComparison.Ordinal) => 3,
        _ => 4,
    };
}
