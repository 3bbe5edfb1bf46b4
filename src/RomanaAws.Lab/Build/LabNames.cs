using System.IO.Hashing;
using System.Text;

namespace RomanaAws.Lab.Build;

/// <summary>
/// Every name the lab creates starts with <c>rlab-</c> (network namespaces) or lives under <see cref="RunDirectory"/>,
/// so a crashed run is removed by prefix on the next start. Link names are derived from the instance id (≤ 15 bytes).
/// </summary>
public static class LabNames
{
    public const string Prefix = "rlab-";

    public const string RouterNamespace = "rlab-vpc";

    public const string RunDirectory = "/run/rlab";

    public static string Node(string instanceId) => Prefix + instanceId;

    public static string Pod(string instanceId, int index) => $"{Prefix}{instanceId}-p{index}";

    /// <summary>The instance's port on its subnet's bridge, in the router namespace.</summary>
    public static string Port(string instanceId) => "p" + Hash(instanceId);

    /// <summary>The node end before it is moved into the node and renamed eth0.</summary>
    public static string NodeEnd(string instanceId) => "n" + Hash(instanceId);

    private static string Hash(string value) => Convert.ToHexStringLower(XxHash32.Hash(Encoding.UTF8.GetBytes(value)));
}
