using System.Buffers.Binary;
using System.Text;

namespace RomanaAws.Cni.Netlink;

/// <summary>Builds one netlink request: the 16-byte header, the family header, then 4-byte aligned attributes (nested ones too).</summary>
internal sealed class NetlinkMessage
{
    public const ushort Request = 0x1;
    public const ushort Ack = 0x4;
    public const ushort Dump = 0x300;
    public const ushort Replace = 0x100;
    public const ushort Excl = 0x200;
    public const ushort Create = 0x400;

    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkMessage(ushort type, ushort flags)
    {
        _length = 16;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), flags);
    }

    public ushort Type => BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(4));

    /// <summary>A fixed family header (ifinfomsg, ifaddrmsg, rtmsg, ndmsg): already a multiple of 4 bytes.</summary>
    public NetlinkMessage Header(ReadOnlySpan<byte> header)
    {
        Append(header);
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(head, (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], type);
        Append(head);
        Append(data);
        Pad();
        return this;
    }

    public NetlinkMessage Attribute(ushort type, uint value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return Attribute(type, data);
    }

    /// <summary>A NUL-terminated string attribute (interface names, link kinds).</summary>
    public NetlinkMessage Attribute(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attribute(type, bytes);
    }

    /// <summary>Starts a nested attribute; <see cref="End"/> with the returned offset closes it.</summary>
    public int Begin(ushort type)
    {
        var at = _length;
        Attribute(type, []);
        return at;
    }

    public NetlinkMessage End(int at)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(at), (ushort)(_length - at));
        return this;
    }

    public ReadOnlySpan<byte> Finish(uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
        return _buffer.AsSpan(0, _length);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length + 4 > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length + 4));
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void Pad()
    {
        while (_length % 4 != 0)
        {
            Append([0]);
        }
    }
}
