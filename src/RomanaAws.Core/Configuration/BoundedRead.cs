namespace RomanaAws.Core.Configuration;

/// <summary>
/// Reads a stream to its end, but never more than a cap + 1 bytes, whatever its size claims or becomes while it is
/// read (a device, a pipe, a growing file). Shared by <see cref="InputFile"/> and the file state store.
/// </summary>
internal static class BoundedRead
{
    /// <summary>The bytes read; a length above <paramref name="maxBytes"/> means the stream is larger than the cap.</summary>
    public static (byte[] Buffer, int Length) Read(Stream stream, long maxBytes, long sizeHint)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[Math.Min(maxBytes + 1, sizeHint > 0 ? sizeHint + 1 : 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    return (buffer, length);
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1));
            }

            var read = stream.Read(buffer.AsSpan(length));
            if (read == 0)
            {
                return (buffer, length);
            }

            length += read;
        }
    }
}
