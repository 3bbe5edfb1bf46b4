namespace RomanaAws.Fuzz;

/// <summary>Reads one input from afl-fuzz's stream, at most one byte past the size bound (longer inputs are skipped whole).</summary>
internal static class FuzzInput
{
    public static ReadOnlySpan<byte> Read(Stream stream)
    {
        var buffer = new byte[FuzzTarget.MaxInputBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return buffer.AsSpan(0, length);
    }
}
