namespace RomanaAws.Cni.Netlink;

/// <summary>A link as rtnetlink reports it.</summary>
internal sealed record LinkInfo(int Index, string Name, string Mac, int Mtu, bool Up);
