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

    /// <summary>Strict CIDR parse: IPv4 or IPv6, host bits must be clear.</summary>
    public static bool TryParseCidr(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text) || !text.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(text, out network))
        {
            return false;
        }

        // IPNetwork.TryParse accepts host bits set; AWS does not.
        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            return true;
        }

        var hostBits = 32 - network.PrefixLength;
        var mask = hostBits == 32 ? uint.MaxValue : (1u << hostBits) - 1;
        var text4 = text.Trim();
        var address = IPAddress.Parse(text4[..text4.IndexOf('/', StringComparison.Ordinal)]);
        return (ToUInt32(address) & mask) == 0;
    }
}
