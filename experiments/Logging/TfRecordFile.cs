using System.Buffers.Binary;

namespace Research.Experiments.Logging;

/// <summary>
/// TFRecord framing, as TensorFlow writes event files: uint64 length, masked CRC-32C of those 8 bytes, the data,
/// masked CRC-32C of the data (all little-endian).
/// </summary>
public static class TfRecordFile
{
    public static void WriteRecord(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.ComputeMasked(header[..8]));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.ComputeMasked(data));
        stream.Write(footer);
    }

    /// <summary>Every record's data, after checking both CRCs; a mismatch or a cut-off record is an error naming the offset.</summary>
    public static IEnumerable<byte[]> ReadRecords(string path)
    {
        byte[] bytes;
        using (var stream = LiveFile.OpenRead(path))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        var offset = 0;
        var index = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 12)
                throw Corrupt(path, index, offset, $"truncated record header ({bytes.Length - offset} of 12 bytes)");
            var header = bytes.AsSpan(offset, 12);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            CheckCrc(path, index, offset, "length", BinaryPrimitives.ReadUInt32LittleEndian(header[8..]), header[..8]);
            if (length > (ulong)(bytes.Length - offset - 16))
                throw Corrupt(path, index, offset, $"truncated record: {length} data bytes announced, {Math.Max(0, bytes.Length - offset - 16)} present");
            var data = bytes.AsSpan(offset + 12, (int)length);
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length, 4));
            CheckCrc(path, index, offset, "data", stored, data);
            yield return data.ToArray();
            offset += 16 + (int)length;
            index++;
        }
    }

    private static void CheckCrc(string path, int index, int offset, string what, uint stored, ReadOnlySpan<byte> covered)
    {
        var computed = Crc32C.ComputeMasked(covered);
        if (stored != computed)
            throw Corrupt(path, index, offset, $"{what} CRC mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})");
    }

    private static InvalidDataException Corrupt(string path, int index, int offset, string problem) =>
        new($"{path}: record {index} at byte {offset}: {problem}; the event file is corrupt.");
}
