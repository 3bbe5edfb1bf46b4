namespace RomanaAws.Core.Persistence;

/// <summary>
/// The embedded default store: one JSON file, replaced atomically (temp file in the same directory, flushed to
/// disk, renamed over the old one), so a crash leaves either the old state or the new one, never half of each.
/// Writers serialise on an exclusive lock file and compare revisions, so a stale writer gets a conflict.
/// This is the one I/O class in RomanaAws.Core (see docs/architecture.md).
/// </summary>
public sealed class FileIpamStateStore : IIpamStateStore
{
    private const int HeaderBytes = 4096;

    public FileIpamStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public async Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return IpamStateSerializer.Deserialize(bytes, Path);
    }

    public async Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new StateConflictException($"{Path}: another writer holds {Path}.lock; retry when it is done", ex);
        }

        await using (lockFile)
        {
            var current = await CurrentRevisionAsync(cancellationToken);
            if (current != expectedRevision)
            {
                throw new StateConflictException(Path, expectedRevision, current);
            }

            var next = expectedRevision + 1;
            var bytes = IpamStateSerializer.Serialize(document with { Revision = next });
            var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(bytes, cancellationToken);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, Path, overwrite: true);
                DirectorySync.Flush(directory);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }

            return next;
        }
    }

    private async Task<long> CurrentRevisionAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return 0;
        }

        var head = new byte[HeaderBytes];
        int read;
        await using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous))
        {
            read = await stream.ReadAtLeastAsync(head, HeaderBytes, throwOnEndOfStream: false, cancellationToken);
        }

        return IpamStateSerializer.PeekHeader(head.AsSpan(0, read), Path).Revision;
    }
}
