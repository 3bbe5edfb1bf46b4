using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RomanaAws.VpcSim.World;

/// <summary>IPv4 helpers over the BCL's <see cref="IPAddress"/> and <see cref="IPNetwork"/>.</summary>
internal static class IpMath
{
    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _)
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : throw new ArgumentException($"{address} is not IPv4", nameof(address));
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Strict CIDR parse: IPv4 or IPv6, host bits must be clear, and an IPv4 block must be written canonically
    /// (four decimal octets without leading zeros, no spaces: "10.0/8" or "010.0.0.0/8" are not what EC2 takes).
    /// </summary>
    public static bool TryParseCidr(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text) || !text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out network))
        {
            return false;
        }

        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            return true;
        }

        // IPNetwork.TryParse accepts host bits set (and shorthand such as "10.0/8"); AWS does neither.
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(text[..slash], out var address) && address.Equals(network.BaseAddress)
            && string.Equals(text, $"{network.BaseAddress}/{network.PrefixLength}", StringComparison.Ordinal);
    }
}
