namespace RomanaAws.Core.Persistence;

/// <summary>The head of a state file: schema version, revision, and the digest with where its property lies in the bytes.</summary>
internal readonly record struct StateHeader(int SchemaVersion, long Revision, string? Digest, int DigestStart, int DigestEnd);
