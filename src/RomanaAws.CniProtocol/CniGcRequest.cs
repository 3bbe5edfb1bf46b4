namespace RomanaAws.CniProtocol;

/// <summary>GC (CNI 1.1.0): every attachment not in <see cref="Valid"/> is released.</summary>
public sealed record CniGcRequest(IReadOnlyList<CniKeyRequest> Valid);
