using System.IO.Hashing;
using System.Text;

namespace RomanaAws.CniProtocol;

/// <summary>
/// The host end of a pod's veth, derived from (container ID, ifname) alone: <c>rmn</c> + 12 hex digits of XxHash3
/// (15 characters, the Linux limit; 48 bits: a collision among 1,000 pods on a node has odds of about 1 in 500 million).
/// Not SHA-256: that loads OpenSSL into every plugin run. Changing the function would orphan existing pods' veths.
/// DEL finds it without the netns (containerd passes none), the agent's leak sweep checks it, and a veth left by a
/// crashed ADD is recognised and replaced.
/// </summary>
public static class HostVethName
{
    public const string Prefix = "rmn";

    public static string For(string containerId, string ifName)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        ArgumentNullException.ThrowIfNull(ifName);
        var hash = XxHash3.Hash(Encoding.UTF8.GetBytes(containerId + "/" + ifName));
        return Prefix + Convert.ToHexStringLower(hash, 0, 6);
    }
}
