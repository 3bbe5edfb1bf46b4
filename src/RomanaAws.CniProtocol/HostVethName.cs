using System.Security.Cryptography;
using System.Text;

namespace RomanaAws.CniProtocol;

/// <summary>
/// The host end of a pod's veth, derived from (container ID, ifname) alone: <c>rmn</c> + 12 hex digits of SHA-256
/// (15 characters, the Linux limit). DEL finds it without the netns (containerd passes none), the agent's leak sweep
/// checks it, and a veth left by a crashed ADD is recognised and replaced.
/// </summary>
public static class HostVethName
{
    public const string Prefix = "rmn";

    public static string For(string containerId, string ifName)
    {
        ArgumentNullException.ThrowIfNull(containerId);
        ArgumentNullException.ThrowIfNull(ifName);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(containerId + "/" + ifName));
        return Prefix + Convert.ToHexStringLower(hash, 0, 6);
    }
}
