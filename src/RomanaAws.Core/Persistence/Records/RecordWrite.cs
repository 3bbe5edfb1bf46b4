namespace RomanaAws.Core.Persistence.Records;

/// <summary>
/// One record written in a transaction: its new value (null deletes it), applied only if the record still has
/// <paramref name="ExpectedModRevision"/> (0: it must not exist), so nothing is overwritten blindly.
/// </summary>
public sealed record RecordWrite(string Key, string? Value, long ExpectedModRevision);
