using System.Buffers;
using System.Text.Unicode;

namespace Research.Data.Text;

/// <summary>
/// Strict text reading for the corpora: the file must exist, be non-empty and be valid UTF-8. Every failure is a
/// <see cref="DataException"/> naming the file (and, for bad bytes, the line and byte offset), never a silent
/// replacement character. A leading UTF-8 byte-order mark is skipped. Line endings are left as they are; the
/// tokenisers treat '\r' as whitespace, so CRLF files give the same tokens as LF files.
/// </summary>
public static class TextFile
{
    public static string ReadAll(string path)
    {
        var bytes = ReadBytes(path);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        if (bytes.Length == start)
            throw DataException.In(path, "file is empty");
        return Decode(path, bytes, start);
    }

    /// <summary>The whole file as bytes, with missing / unreadable / empty files reported as DataException.</summary>
    public static byte[] ReadBytes(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
                throw DataException.In(path, "file not found");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataException.In(path, $"cannot read: {e.Message}");
        }
        if (bytes.Length == 0)
            throw DataException.In(path, "file is empty");
        return bytes;
    }

    private static string Decode(string path, byte[] bytes, int start)
    {
        var source = bytes.AsSpan(start);
        // UTF-16 never needs more code units than UTF-8 has bytes.
        var buffer = ArrayPool<char>.Shared.Rent(source.Length);
        try
        {
            var status = Utf8.ToUtf16(source, buffer, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                var offset = start + read;
                var line = bytes.AsSpan(0, offset).Count((byte)'\n') + 1;
                throw DataException.At(path, line, $"invalid UTF-8 at byte offset {offset} (0x{bytes[offset]:X2})");
            }
            return new string(buffer, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
