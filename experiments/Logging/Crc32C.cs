using System.Numerics;

namespace Research.Experiments.Logging;

/// <summary>CRC-32C (Castagnoli) and TensorFlow's masked form, which TFRecord framing stores around every record.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        // BitOperations.Crc32C uses the SSE4.2 / ARM instruction where there is one; a table otherwise.
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BitConverter.ToUInt64(data));
            data = data[8..];
        }

        foreach (var b in data)
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>TensorFlow masks stored CRCs so that a CRC of data containing CRCs stays well distributed.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
