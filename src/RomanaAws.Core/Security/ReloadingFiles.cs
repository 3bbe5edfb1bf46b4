namespace RomanaAws.Core.Security;

/// <summary>
/// A value made from a few small files (a certificate and its key, a CA bundle, a token), made again when their
/// content changes: checked at most once per <paramref name="interval"/>, on use. Files swapped under a running
/// process (the kubelet's atomic Secret and projected-token updates, an operator's <c>mv</c>) take effect on the next
/// use without a restart. A change that cannot be loaded (a half-written pair) keeps the last good value and is
/// reported in <see cref="LastError"/>; it is tried again at the next check. Thread-safe.
/// </summary>
public sealed class ReloadingFiles<T>(IReadOnlyList<string> paths, Func<IReadOnlyList<byte[]>, T> load, TimeProvider time, TimeSpan interval)
    where T : class
{
    private readonly Lock _lock = new();
    private T? _value;
    private byte[][]? _contents;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>Why the last change could not be loaded; null when the current value is the files' content.</summary>
    public string? LastError { get; private set; }

    /// <summary>How many times the value was made (1 after the first load).</summary>
    public int Loads { get; private set; }

    /// <summary>The value for the files' current content. Throws on the first load when a file cannot be read or loaded.</summary>
    public T Current
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_value is not null && now - _checkedAt < interval)
                {
                    return _value;
                }

                _checkedAt = now;
                try
                {
                    var contents = paths.Select(File.ReadAllBytes).ToArray();
                    if (_value is null || _contents is null || !contents.Zip(_contents).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
                    {
                        _value = load(contents);
                        _contents = contents;
                        Loads++;
                    }

                    LastError = null;
                }
                catch (Exception ex) when (_value is not null && ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException or FormatException)
                {
                    LastError = $"{string.Join(", ", paths)}: {ex.Message} (still using the previous content)";
                }

                return _value;
            }
        }
    }
}
