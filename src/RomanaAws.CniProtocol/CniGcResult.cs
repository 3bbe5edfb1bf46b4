namespace RomanaAws.CniProtocol;

/// <summary>What GC released.</summary>
public sealed record CniGcResult(IReadOnlyList<CniKeyRequest> Released);
