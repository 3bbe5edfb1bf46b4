using System.Net;

namespace RomanaAws.Cni.Netlink;

/// <summary>An IPv4 route of the main table as rtnetlink reports it.</summary>
internal sealed record RouteInfo(IPAddress? Destination, int PrefixLength, IPAddress? Gateway, int OutputInterface, byte Scope);
