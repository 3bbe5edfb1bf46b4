namespace RomanaAws.CniProtocol;

/// <summary>The answer to DEL: whether an address was freed (false when the attachment held none: DEL is idempotent).</summary>
public sealed record CniReleased(bool Released);
