namespace RomanaAws.Core.Persistence;

/// <summary>What <see cref="UnixFile.Stat"/> reports: the st_mode bits (type and permissions), owner and size.</summary>
internal readonly record struct UnixFileStatus(int Mode, uint Uid, uint Gid, long Size)
{
    private const int TypeMask = 0xF000;

    public bool IsRegular => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    /// <summary>The permission bits (with setuid, setgid and sticky), as .NET spells them.</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);

    public bool AnyWriteBit => (Permissions & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>The type in words, for an error about a file that is not a regular one.</summary>
    public string Kind => (Mode & TypeMask) switch
    {
        0x4000 => "a directory",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => "not a regular file",
    };
}
