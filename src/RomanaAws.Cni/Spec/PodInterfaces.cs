using System.Net;

namespace RomanaAws.Cni.Spec;

/// <summary>What ADD set up, as the result reports it: the host veth, the pod's interface in its netns, the /32 and the gateway.</summary>
internal sealed record PodInterfaces(string HostVeth, string HostMac, string IfName, string PodMac, string Sandbox, IPAddress Address, IPAddress Gateway, int Mtu);
