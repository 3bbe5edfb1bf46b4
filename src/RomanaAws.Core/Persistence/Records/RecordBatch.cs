namespace RomanaAws.Core.Persistence.Records;

/// <summary>
/// The writes of one transaction. <paramref name="First"/> and <paramref name="Last"/> mark a save split over several
/// transactions: the first puts the <c>inflight</c> record, the last deletes it (a save of one batch is both and needs neither).
/// </summary>
public sealed record RecordBatch(IReadOnlyList<RecordWrite> Writes, bool First, bool Last)
{
    public bool Split => !(First && Last);
}
