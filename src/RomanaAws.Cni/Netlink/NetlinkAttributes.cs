using System.Buffers.Binary;

namespace RomanaAws.Cni.Netlink;

/// <summary>Reads the attributes after a fixed family header: type (nested flags masked off) → data.</summary>
internal static class NetlinkAttributes
{
    public static Dictionary<ushort, byte[]> Parse(ReadOnlySpan<byte> payload, int headerSize)
    {
        var attributes = new Dictionary<ushort, byte[]>();
        var at = headerSize;
        while (at + 4 <= payload.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(payload[(at + 2)..]) & 0x3FFF);
            if (length < 4 || at + length > payload.Length)
            {
                break;
            }

            attributes.TryAdd(type, payload.Slice(at + 4, length - 4).ToArray());
            at += (length + 3) & ~3;
        }

        return attributes;
    }

    public static string? String(Dictionary<ushort, byte[]> attributes, ushort type) =>
        attributes.TryGetValue(type, out var data) ? System.Text.Encoding.UTF8.GetString(data.AsSpan().TrimEnd((byte)0)) : null;

    public static uint? UInt32(Dictionary<ushort, byte[]> attributes, ushort type) =>
        attributes.TryGetValue(type, out var data) && data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : null;
}
