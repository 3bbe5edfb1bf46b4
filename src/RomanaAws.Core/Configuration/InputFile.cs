using System.Text;

namespace RomanaAws.Core.Configuration;

/// <summary>
/// Reads a text file the user named, never more than a cap: a device (<c>/dev/zero</c>, <c>/dev/urandom</c>), a pipe
/// or a huge file stops at the cap with a clear error instead of filling memory or hanging. Every failure is a
/// <see cref="ConfigException"/> naming what the file was for (the option), its path and what is wrong.
/// The one other I/O type in Core beside the file state store (docs/architecture.md).
/// </summary>
public static class InputFile
{
    /// <summary>The default cap, the same as <see cref="DocumentLimits.MaxChars"/>: 4 MiB.</summary>
    public const int DefaultMaxBytes = 4 * 1024 * 1024;

    /// <summary>The cap for hosts files, which list every node: 64 MiB.</summary>
    public const int HostListMaxBytes = 64 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads <paramref name="path"/> as UTF-8 text (synchronously: it is bounded, and a file, not the network); <paramref name="what"/> names it in errors ("--config").</summary>
    public static string ReadText(string path, string what, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var source = $"{what} {full}";
        if (Directory.Exists(full))
        {
            throw Fail(source, "is a directory; give a file");
        }

        byte[] buffer;
        int length;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            (buffer, length) = BoundedRead.Read(stream, maxBytes, stream.CanSeek ? stream.Length : 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Fail(source, "file not found");
        }
        catch (UnauthorizedAccessException)
        {
            throw Fail(source, "permission denied");
        }
        catch (IOException ex)
        {
            throw Fail(source, $"cannot read: {ex.Message}");
        }

        if (length > maxBytes)
        {
            throw Fail(source, $"is larger than {(maxBytes % (1024 * 1024) == 0 ? $"{maxBytes / (1024 * 1024)} MiB" : $"{maxBytes:N0} bytes")}, the most read for a file of this kind; is it the right file?");
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException ex)
        {
            throw Fail(source, $"is not UTF-8 text (invalid byte at offset {ex.Index}); is it the right file?");
        }
    }

    private static ConfigException Fail(string source, string message) => new($"{source}: {message}");
}
