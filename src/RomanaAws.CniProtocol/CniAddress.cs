namespace RomanaAws.CniProtocol;

/// <summary>An assigned address: the pod's address (no prefix), the block it came from, and whether it was held already.</summary>
public sealed record CniAddress(string Address, string Block, bool Existing);
