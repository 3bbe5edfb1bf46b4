using System.Runtime.InteropServices;

namespace RomanaAws.Cni.Netlink;

/// <summary>The few libc calls the plugin needs: netlink sockets and setns(2). Nothing in .NET or NuGet wraps rtnetlink for veths in other namespaces.</summary>
internal static unsafe partial class Libc
{
    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloexec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int CloneNewNet = 0x40000000;
    public const int OpenReadOnlyCloexec = 0x80000;
    public const int SolSocket = 1;
    public const int SoRcvTimeo = 20;
    public const int SolNetlink = 270;
    public const int NetlinkExtAck = 11;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nsType);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    public static int Errno => Marshal.GetLastPInvokeError();
}
