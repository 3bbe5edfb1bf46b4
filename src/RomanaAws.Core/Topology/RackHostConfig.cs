using System.Net;

namespace RomanaAws.Core.Topology;

/// <summary>A host given in the configuration: its Kubernetes node name and its address (which names its rack).</summary>
public sealed record RackHostConfig(string Name, IPAddress Ip);
