using System.Net;

namespace RomanaAws.Core.Topology;

/// <summary>A router every host of a rack peers with (a top-of-rack switch, directly connected).</summary>
/// <param name="PasswordFile">TCP MD5 password (RFC 2385), read on the node from this file; null for none.</param>
public sealed record BgpPeerConfig(IPAddress Address, long Asn, string? PasswordFile, bool Bfd);
