using System.Text;

namespace RomanaAws.Core.Persistence;

/// <summary>
/// The writer lock: an exclusive advisory lock on <c>&lt;real file&gt;.lock</c>, waited for with short, growing pauses
/// up to <see cref="LockTimeout"/>. The holder writes its pid into the file, so a writer that gives up can say who holds it.
/// </summary>
public sealed partial class FileIpamStateStore
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(100);

    private async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        var options = NewFileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileOptions.None);
        if (OperatingSystem.IsLinux() && UnixFile.Stat(lockPath[..^".lock".Length]) is { IsRegular: true } state)
        {
            options.UnixCreateMode = state.Permissions & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit);
        }

        var started = _time.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            FileStream? stream = null;
            try
            {
                stream = new FileStream(lockPath, options);
                var holder = Encoding.UTF8.GetBytes($"pid {Environment.ProcessId} ({System.IO.Path.GetFileName(Environment.ProcessPath) ?? "unknown"})\n");
                stream.SetLength(0);
                stream.Write(holder);
                stream.Flush();
                return stream;
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException) && stream is null)
            {
                var waited = _time.GetElapsedTime(started);
                if (waited >= LockTimeout)
                {
                    throw new StateConflictException(
                        $"{Path}: gave up waiting for the writer lock {lockPath} after {waited.TotalSeconds:0.0} s (lock timeout {LockTimeout.TotalSeconds:0.###} s); {Holder(lockPath)}; retry when that writer is done, or give a longer --lock-timeout",
                        ex)
                    {
                        IsLockTimeout = true,
                    };
                }

                var remaining = LockTimeout - waited;
                await Task.Delay(pause < remaining ? pause : remaining, _time, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
            catch
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }

                throw;
            }
        }
    }

    /// <summary>Who holds the lock, as the holder wrote it (read without taking the lock).</summary>
    private static string Holder(string lockPath)
    {
        var head = OperatingSystem.IsLinux() ? UnixFile.ReadHead(lockPath, 200) : null;
        var text = head is null ? string.Empty : Encoding.UTF8.GetString(head).Trim();
        return text.Length == 0 || text.Contains('\n', StringComparison.Ordinal)
            ? "the holder did not record itself"
            : $"it is held by {text}";
    }
}
