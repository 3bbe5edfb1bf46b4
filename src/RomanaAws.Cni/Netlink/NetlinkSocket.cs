using System.Buffers.Binary;

namespace RomanaAws.Cni.Netlink;

/// <summary>
/// One NETLINK_ROUTE socket, bound to the network namespace it was created in (the host's, or a pod's via
/// <see cref="NetworkNamespace.Enter"/>). Requests are answered synchronously; a receive timeout keeps a wedged kernel
/// from hanging the runtime.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const ushort Error = 2;
    private const ushort Done = 3;
    private readonly int _fd;
    private readonly byte[] _receive = new byte[64 * 1024];
    private uint _sequence;

    private NetlinkSocket(int fd) => _fd = fd;

    public static NetlinkSocket Open()
    {
        var fd = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloexec, Libc.NetlinkRoute);
        if (fd < 0)
        {
            throw new NetlinkException("open netlink socket", Libc.Errno);
        }

        long* timeout = stackalloc long[2];
        timeout[0] = 10;
        timeout[1] = 0;
        _ = Libc.SetSockOpt(fd, Libc.SolSocket, Libc.SoRcvTimeo, timeout, 16);
        return new NetlinkSocket(fd);
    }

    public static NetlinkSocket OpenIn(NetworkNamespace netns)
    {
        ArgumentNullException.ThrowIfNull(netns);
        return netns.Enter(Open);
    }

    /// <summary>Sends a request with ACK and waits for it; throws <see cref="NetlinkException"/> with the kernel's errno.</summary>
    public void Execute(NetlinkMessage message, string operation)
    {
        ArgumentNullException.ThrowIfNull(message);
        _ = Exchange(message, operation);
    }

    /// <summary>Sends a GET (or a dump) and returns each answer's payload (after the 16-byte header).</summary>
    public List<byte[]> Query(NetlinkMessage message, string operation)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Exchange(message, operation);
    }

    private List<byte[]> Exchange(NetlinkMessage message, string operation)
    {
        var sequence = ++_sequence;
        var request = message.Finish(sequence);
        fixed (byte* p = request)
        {
            if (Libc.Send(_fd, p, (nuint)request.Length, 0) < 0)
            {
                throw new NetlinkException(operation, Libc.Errno);
            }
        }

        var answers = new List<byte[]>();
        while (true)
        {
            nint received;
            fixed (byte* p = _receive)
            {
                received = Libc.Receive(_fd, p, (nuint)_receive.Length, 0);
            }

            if (received < 0)
            {
                var errno = Libc.Errno;
                if (errno == 4)
                {
                    continue; // EINTR
                }

                throw new NetlinkException(operation, errno);
            }

            var data = _receive.AsSpan(0, (int)received);
            var at = 0;
            while (at + 16 <= data.Length)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 4)..]);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 6)..]);
                var seq = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 8)..]);
                if (length < 16 || at + length > data.Length)
                {
                    throw new NetlinkException($"{operation}: truncated netlink answer", 5);
                }

                if (seq == sequence)
                {
                    if (type == Error)
                    {
                        var errno = -BinaryPrimitives.ReadInt32LittleEndian(data[(at + 16)..]);
                        return errno == 0 ? answers : throw new NetlinkException(operation, errno);
                    }

                    if (type == Done)
                    {
                        return answers;
                    }

                    answers.Add(data.Slice(at + 16, length - 16).ToArray());
                    if ((flags & 0x2) == 0)
                    {
                        // Not part of a multi-part dump: a single answer to a GET.
                        return answers;
                    }
                }

                at += (length + 3) & ~3;
            }
        }
    }

    public void Dispose() => _ = Libc.Close(_fd);
}
