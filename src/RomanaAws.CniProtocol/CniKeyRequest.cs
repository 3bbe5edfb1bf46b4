namespace RomanaAws.CniProtocol;

/// <summary>One attachment, as the plugin names it on DEL and CHECK and in GC's valid list.</summary>
public sealed record CniKeyRequest(string ContainerId, string IfName);
