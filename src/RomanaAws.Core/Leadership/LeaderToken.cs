namespace RomanaAws.Core.Leadership;

/// <summary>
/// Proof of leadership to fence writes with: the leader key and the revision it was created at. Every state write
/// compares the key's create revision with <paramref name="CreateRevision"/>, so a write by a replica whose term ended
/// fails even if it still believes it leads.
/// </summary>
public sealed record LeaderToken(string Key, long CreateRevision, string Holder);
