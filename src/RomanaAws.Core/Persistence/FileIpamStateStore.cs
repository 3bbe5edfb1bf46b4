namespace RomanaAws.Core.Persistence;

/// <summary>
/// The embedded default store: one JSON file, replaced atomically (temp file beside the real file, flushed to
/// disk, renamed over it), so a crash leaves either the old state or the new one, never half of each. A path that
/// is a symbolic link (or a chain of them) is followed to the real file, so the link stays a link. The new file
/// keeps the old one's mode and owner; a new state file is created 0600. Writers serialise on an exclusive lock
/// file beside the real file, waiting up to <see cref="LockTimeout"/> for it, and compare revisions, so a stale
/// writer gets a conflict. This is the one I/O class in RomanaAws.Core (see docs/architecture.md); the POSIX
/// calls .NET lacks are in <see cref="UnixFile"/>.
/// </summary>
public sealed partial class FileIpamStateStore : IIpamStateStore
{
    /// <summary>The largest state file read (256 MiB); a bigger one is refused without being read.</summary>
    public const long MaxStateBytes = 256L * 1024 * 1024;

    private const int HeaderBytes = 4096;

    private readonly TimeProvider _time;

    public FileIpamStateStore(string path)
        : this(path, DefaultLockTimeout, TimeProvider.System)
    {
    }

    public FileIpamStateStore(string path, TimeSpan lockTimeout, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(lockTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Path = System.IO.Path.GetFullPath(path);
        LockTimeout = lockTimeout;
        _time = time;
    }

    /// <summary>How long a save waits for another writer's lock by default.</summary>
    public static TimeSpan DefaultLockTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The path as given (made absolute); it may be a symbolic link.</summary>
    public string Path { get; }

    public TimeSpan LockTimeout { get; }

    /// <summary>The stored document, or null when there is none (read synchronously: a bounded local file).</summary>
    public Task<IpamStateDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = Read(ResolvePath());
        return Task.FromResult(bytes is null ? null : IpamStateSerializer.Deserialize(bytes.Value.Span, Path));
    }

    /// <summary>
    /// For re-sealing a file edited on purpose: the document without the integrity check (every other check still
    /// applies), and whether its digest matched. Null when there is no file.
    /// </summary>
    public Task<(IpamStateDocument Document, bool Intact)?> LoadForResealAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Read(ResolvePath()) is not { } content)
        {
            return Task.FromResult<(IpamStateDocument, bool)?>(null);
        }

        var document = IpamStateSerializer.Deserialize(content.Span, Path, verifyIntegrity: false);
        return Task.FromResult<(IpamStateDocument, bool)?>((document, IpamStateSerializer.IsIntact(content.Span, Path)));
    }

    public async Task<long> SaveAsync(IpamStateDocument document, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var real = ResolvePath();
        var directory = System.IO.Path.GetDirectoryName(real)!;
        Directory.CreateDirectory(directory);
        await using var lockFile = await AcquireLockAsync(real + ".lock", cancellationToken);
        var existing = ExistingFile(real);
        var current = existing is null ? 0 : await CurrentRevisionAsync(real, cancellationToken);
        if (current != expectedRevision)
        {
            throw new StateConflictException(Path, expectedRevision, current);
        }

        var next = expectedRevision + 1;
        var bytes = IpamStateSerializer.Serialize(document with { Revision = next });
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(real)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, NewFileOptions(FileMode.CreateNew, FileAccess.Write, FileOptions.Asynchronous)))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            KeepOwnerAndMode(temp, existing);
            File.Move(temp, real, overwrite: true);
            FlushDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return next;
    }

    private static async Task<long> CurrentRevisionAsync(string real, CancellationToken cancellationToken)
    {
        var head = new byte[HeaderBytes];
        int read;
        await using (var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous))
        {
            read = await stream.ReadAtLeastAsync(head, HeaderBytes, throwOnEndOfStream: false, cancellationToken);
        }

        return IpamStateSerializer.PeekHeader(head.AsSpan(0, read), real).Revision;
    }
}
