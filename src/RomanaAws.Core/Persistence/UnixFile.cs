using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RomanaAws.Core.Persistence;

/// <summary>
/// The few POSIX calls .NET has no API for, used by <see cref="FileIpamStateStore"/>: a file's type and owner
/// (<c>statx</c>, whose layout is the same on every Linux architecture), <c>chown</c>, <c>access</c>, <c>geteuid</c>,
/// and reading a file without the advisory lock a FileStream takes. Linux only.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class UnixFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const uint StatxSize = 0x200;
    private const int StatxBufferBytes = 256;
    private const int WriteOk = 2;
    private const int ReadOnly = 0;
    private const int ErrorNoEntry = 2;
    private const int ErrorNotDirectory = 20;

    /// <summary>Type, owner and size of <paramref name="path"/> (links followed), or null when nothing is there.</summary>
    public static UnixFileStatus? Stat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxBufferBytes];
        if (Statx(AtFdCwd, path, 0, StatxType | StatxMode | StatxUid | StatxGid | StatxSize, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ErrorNoEntry or ErrorNotDirectory
                ? null
                : throw new IOException($"{path}: cannot read the file's status (errno {errno})");
        }

        // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode, u16 pad, u64 ino, u64 size
        var uid = BitConverter.ToUInt32(buffer[20..]);
        var gid = BitConverter.ToUInt32(buffer[24..]);
        var mode = BitConverter.ToUInt16(buffer[28..]);
        var size = BitConverter.ToInt64(buffer[40..]);
        return new UnixFileStatus(mode, uid, gid, size);
    }

    /// <summary>Whether this process may write <paramref name="path"/> in place (root passes whatever the mode).</summary>
    public static bool MayWrite(string path) => Access(path, WriteOk) == 0;

    public static uint EffectiveUserId => GetEffectiveUserId();

    public static bool IsRoot => EffectiveUserId == 0;

    /// <summary>Gives <paramref name="path"/> (not following links) to <paramref name="uid"/>:<paramref name="gid"/>; the errno on failure, else 0.</summary>
    public static int TryChown(string path, uint uid, uint gid) => Lchown(path, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Up to <paramref name="maxBytes"/> from the start of <paramref name="path"/>, without taking a lock; null when it cannot be read.</summary>
    public static byte[]? ReadHead(string path, int maxBytes)
    {
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            var buffer = new byte[maxBytes];
            var read = Read(fd, ref buffer[0], (nint)maxBytes);
            return read < 0 ? null : buffer[..(int)read];
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>fsync of a directory, so a rename survives a power loss.</summary>
    public static void FlushDirectory(string directory)
    {
        const int Directory = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)
        var fd = Open(directory, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"{directory}: cannot open the directory to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"{directory}: fsync failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
