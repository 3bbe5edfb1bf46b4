namespace RomanaAws.Core.Persistence.Records;

/// <summary>A record as the store last read or wrote it: its value and the revision it was last modified at.</summary>
public sealed record KnownRecord(string Value, long ModRevision);
