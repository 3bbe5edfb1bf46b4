namespace RomanaAws.Cni.Netlink;

/// <summary>An open network namespace file (a /var/run/netns/X bind mount or /proc/PID/ns/net).</summary>
internal sealed class NetworkNamespace : IDisposable
{
    private NetworkNamespace(int fd, string path)
    {
        Fd = fd;
        Path = path;
    }

    public int Fd { get; }

    public string Path { get; }

    /// <summary>Opens <paramref name="path"/>; null when it no longer exists (the container is gone).</summary>
    public static NetworkNamespace? TryOpen(string path)
    {
        var fd = Libc.Open(path, Libc.OpenReadOnlyCloexec);
        if (fd < 0)
        {
            var errno = Libc.Errno;
            return errno is NetlinkException.NoEntry or NetlinkException.NoSuchProcess ? null : throw new NetlinkException($"open network namespace {path}", errno);
        }

        return new NetworkNamespace(fd, path);
    }

    /// <summary>
    /// Runs <paramref name="action"/> with the calling thread inside this namespace and returns to the thread's own one
    /// after. Synchronous on purpose: setns(2) moves only the calling OS thread, so no await may happen inside.
    /// </summary>
    public T Enter<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var self = Libc.Open("/proc/thread-self/ns/net", Libc.OpenReadOnlyCloexec);
        if (self < 0)
        {
            throw new NetlinkException("open /proc/thread-self/ns/net", Libc.Errno);
        }

        try
        {
            if (Libc.SetNs(Fd, Libc.CloneNewNet) != 0)
            {
                throw new NetlinkException($"enter network namespace {Path}", Libc.Errno);
            }

            try
            {
                return action();
            }
            finally
            {
                if (Libc.SetNs(self, Libc.CloneNewNet) != 0)
                {
                    // Never carry on in the pod's namespace: whatever came next would land in the wrong place.
                    Environment.Exit(CniExit.LostNamespace);
                }
            }
        }
        finally
        {
            _ = Libc.Close(self);
        }
    }

    public void Dispose() => _ = Libc.Close(Fd);
}
