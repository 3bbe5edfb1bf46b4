using RomanaAws.Core.Configuration;

namespace RomanaAws.Core.Persistence;

/// <summary>The file-system side of the store: links, file types, the size cap, modes and owners.</summary>
public sealed partial class FileIpamStateStore
{
    private const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The real file <see cref="Path"/> names: symbolic links followed to the end of the chain (the path itself when it is no link).</summary>
    public string ResolvePath()
    {
        try
        {
            var target = File.ResolveLinkTarget(Path, returnFinalTarget: true);
            return target is null ? Path : System.IO.Path.GetFullPath(target.FullName);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Path;
        }
        catch (IOException ex)
        {
            throw new IpamStateException($"{Path}: cannot follow the symbolic link to the state file: {ex.Message}", ex);
        }
    }

    /// <summary>The file's bytes (at most <see cref="MaxStateBytes"/>), or null when there is none; refuses anything but a regular file.</summary>
    private ReadOnlyMemory<byte>? Read(string real)
    {
        if (!RequireRegularFile(real, out var length))
        {
            return null;
        }

        if (length > MaxStateBytes)
        {
            throw TooLarge(length);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (stream)
        {
            var (buffer, total) = BoundedRead.Read(stream, MaxStateBytes, length);
            return total > MaxStateBytes ? throw TooLarge(total) : buffer.AsMemory(0, total);
        }
    }

    private IpamStateException TooLarge(long length) =>
        new($"{Path}: the state file is larger than {MaxStateBytes / (1024 * 1024)} MiB ({length} bytes), the most romana-aws reads; it is not a state file romana-aws wrote");

    /// <summary>False when nothing is at <paramref name="real"/>; an error for a directory, device, FIFO or socket.</summary>
    private bool RequireRegularFile(string real, out long length)
    {
        length = 0;
        if (!OperatingSystem.IsLinux())
        {
            if (Directory.Exists(real))
            {
                throw new IpamStateException($"{Path}: is a directory, not a state file; give the path of the state file itself");
            }

            var info = new FileInfo(real);
            length = info.Exists ? info.Length : 0;
            return info.Exists;
        }

        if (UnixFile.Stat(real) is not { } status)
        {
            return false;
        }

        if (!status.IsRegular)
        {
            throw new IpamStateException(status.IsDirectory
                ? $"{Path}: is a directory, not a state file; give the path of the state file itself"
                : $"{Path}: is {status.Kind}, not a regular file; give the path of the state file itself");
        }

        length = status.Size;
        return true;
    }

    /// <summary>
    /// The status of the file about to be replaced (null when there is none, or off Linux), after checking that
    /// this user could write it in place: the replacement must not do what a plain write could not.
    /// </summary>
    private UnixFileStatus? ExistingFile(string real)
    {
        if (!RequireRegularFile(real, out _) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var status = UnixFile.Stat(real)!.Value;
        var writable = UnixFile.IsRoot ? status.AnyWriteBit : UnixFile.MayWrite(real);
        if (!writable)
        {
            throw new IpamStateException($"{Path}: the state file is read-only (mode {Octal(status.Permissions)}, owner uid {status.Uid} gid {status.Gid}) for this user (uid {UnixFile.EffectiveUserId}); romana-aws only replaces a file it could also write in place. If romana-aws should change it, make it writable for this user (chmod, chown) or run as its owner");
        }

        return status;
    }

    /// <summary>Gives the new file the old one's owner and mode (a new state file stays 0600, as created).</summary>
    private void KeepOwnerAndMode(string temp, UnixFileStatus? existing)
    {
        if (existing is not { } old || !OperatingSystem.IsLinux())
        {
            return;
        }

        var now = UnixFile.Stat(temp)!.Value;
        if (now.Uid != old.Uid || now.Gid != old.Gid)
        {
            var errno = UnixFile.TryChown(temp, old.Uid, old.Gid);
            if (errno != 0)
            {
                throw new IpamStateException($"{Path}: the state file belongs to uid {old.Uid} gid {old.Gid}, and this user (uid {UnixFile.EffectiveUserId}) cannot give the new version that owner (chown errno {errno}); run romana-aws as that user or as root");
            }
        }

        File.SetUnixFileMode(temp, old.Permissions);
    }

    private static FileStreamOptions NewFileOptions(FileMode mode, FileAccess access, FileOptions options)
    {
        var result = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, Options = options, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = NewFileMode;
        }

        return result;
    }

    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsLinux())
        {
            UnixFile.FlushDirectory(directory);
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
