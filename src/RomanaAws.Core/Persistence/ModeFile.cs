namespace RomanaAws.Core.Persistence;

/// <summary>
/// A new file created with its permissions from the first byte (<c>open(O_CREAT|O_EXCL, mode)</c>), for what may hold
/// secrets: keys, BIRD's configuration with its passwords, the node's pod checkpoint. Fails if the file exists.
/// </summary>
public static class ModeFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static FileStream CreateNew(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        return new FileStream(path, options);
    }
}
