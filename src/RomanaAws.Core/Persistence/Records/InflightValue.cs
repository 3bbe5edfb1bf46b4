namespace RomanaAws.Core.Persistence.Records;

/// <summary>
/// The <c>inflight</c> record: a save too large for one transaction is under way. Readers load the state as it was at
/// <paramref name="CompleteRevision"/> (the last complete one) until the save's last batch deletes this record.
/// </summary>
public sealed record InflightValue(long CompleteRevision, string Writer);
