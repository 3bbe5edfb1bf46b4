using System.Net;

namespace RomanaAws.Core.Routing;

/// <summary>A host known by name and address only: a Kubernetes Node (its name and InternalIP) in routing modes bgp and ospf.</summary>
public sealed record NamedHost(string Name, IPAddress Ip);
