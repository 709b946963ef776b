using System.Buffers.Binary;
using System.Text;

namespace Research.Experiments.Logging;

/// <summary>
/// Hand-written protobuf for the few Event fields we need (event.proto: wall_time=1, step=2, file_version=3,
/// summary=5, session_log=7; Summary.value=1; Value.tag=1, simple_value=2; SessionLog.status=1).
/// </summary>
internal static class TensorBoardEventCodec
{
    public const int SessionLogStart = 1;

    public static byte[] Encode(TensorBoardEvent e)
    {
        var body = new MemoryStream();
        WriteTag(body, 1, WireType.Fixed64);
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(eight, e.WallTime);
        body.Write(eight);
        if (e.Step != 0)
        {
            WriteTag(body, 2, WireType.Varint);
            WriteVarint(body, (ulong)e.Step);
        }

        if (e.FileVersion is not null)
            WriteBytes(body, 3, Encoding.UTF8.GetBytes(e.FileVersion));
        if (e.Scalars.Count > 0)
        {
            var summary = new MemoryStream();
            Span<byte> four = stackalloc byte[4];
            foreach (var scalar in e.Scalars)
            {
                var value = new MemoryStream();
                WriteBytes(value, 1, Encoding.UTF8.GetBytes(scalar.Tag));
                WriteTag(value, 2, WireType.Fixed32);
                BinaryPrimitives.WriteSingleLittleEndian(four, scalar.Value);
                value.Write(four);
                WriteBytes(summary, 1, value.ToArray());
            }

            WriteBytes(body, 5, summary.ToArray());
        }

        if (e.SessionStatus is { } status)
        {
            var sessionLog = new MemoryStream();
            WriteTag(sessionLog, 1, WireType.Varint);
            WriteVarint(sessionLog, (ulong)status);
            WriteBytes(body, 7, sessionLog.ToArray());
        }

        return body.ToArray();
    }

    public static TensorBoardEvent Decode(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        int? sessionStatus = null;
        var scalars = new List<TensorBoardScalar>();
        var reader = new ProtobufReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.Fixed64): wallTime = BinaryPrimitives.ReadDoubleLittleEndian(reader.Fixed(8)); break;
                case (2, WireType.Varint): step = (long)reader.Varint(); break;
                case (3, WireType.LengthDelimited): fileVersion = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (5, WireType.LengthDelimited): DecodeSummary(reader.Bytes(), scalars); break;
                case (7, WireType.LengthDelimited): sessionStatus = DecodeSessionStatus(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
        }

        return new TensorBoardEvent(wallTime, step, fileVersion, sessionStatus, scalars);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<TensorBoardScalar> scalars)
    {
        var reader = new ProtobufReader(data);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited)
                DecodeValue(reader.Bytes(), scalars);
            else
                reader.Skip(wire);
        }
    }

    // Values without a simple_value (images, histograms, tensors) are not scalars of ours and are left out.
    private static void DecodeValue(ReadOnlySpan<byte> data, List<TensorBoardScalar> scalars)
    {
        var reader = new ProtobufReader(data);
        string tag = "";
        float? value = null;
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, WireType.LengthDelimited): tag = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (2, WireType.Fixed32): value = BinaryPrimitives.ReadSingleLittleEndian(reader.Fixed(4)); break;
                default: reader.Skip(wire); break;
            }
        }

        if (value is { } v)
            scalars.Add(new TensorBoardScalar(tag, v));
    }

    private static int? DecodeSessionStatus(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        int? status = null;
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == WireType.Varint)
                status = (int)reader.Varint();
            else
                reader.Skip(wire);
        }

        // proto3 omits a zero enum; a present SessionLog with no status is STATUS_UNSPECIFIED.
        return status ?? 0;
    }

    private static void WriteTag(Stream s, int field, WireType wire) => WriteVarint(s, ((ulong)field << 3) | (ulong)wire);

    private static void WriteBytes(Stream s, int field, byte[] bytes)
    {
        WriteTag(s, field, WireType.LengthDelimited);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        s.WriteByte((byte)value);
    }
}
