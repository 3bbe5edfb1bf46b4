namespace RomanaAws.Cni.Netlink;

/// <summary>The kernel refused a netlink request (or a syscall failed): the operation and the errno.</summary>
internal sealed class NetlinkException(string operation, int errno) : Exception($"{operation}: {Describe(errno)}")
{
    public const int NoEntry = 2;
    public const int NoSuchDevice = 19;
    public const int Exists = 17;
    public const int NoSuchProcess = 3;

    public int Errno { get; } = errno;

    private static string Describe(int errno) => errno switch
    {
        1 => "operation not permitted (EPERM; the plugin must run as root)",
        2 => "no such file or directory (ENOENT)",
        3 => "no such process (ESRCH)",
        13 => "permission denied (EACCES)",
        17 => "already exists (EEXIST)",
        19 => "no such device (ENODEV)",
        22 => "invalid argument (EINVAL)",
        _ => $"errno {errno}",
    };
}
