namespace Research.Experiments.Logging;

/// <summary>Reads protobuf wire format: tags, varints, fixed-width and length-delimited fields.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public bool Next(out int field, out WireType wire)
    {
        if (_position >= _data.Length)
        {
            (field, wire) = (0, default);
            return false;
        }

        var tag = Varint();
        (field, wire) = ((int)(tag >> 3), (WireType)(tag & 7));
        if (field == 0)
            throw new InvalidDataException("protobuf field number 0");
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
                throw new InvalidDataException("protobuf varint runs past the end of the message");
            var b = _data[_position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return value;
        }

        throw new InvalidDataException("protobuf varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> Fixed(int width)
    {
        if (_position + width > _data.Length)
            throw new InvalidDataException("protobuf fixed-width field runs past the end of the message");
        var span = _data.Slice(_position, width);
        _position += width;
        return span;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = Varint();
        if (length > (ulong)(_data.Length - _position))
            throw new InvalidDataException("protobuf length-delimited field runs past the end of the message");
        return Fixed((int)length);
    }

    public void Skip(WireType wire)
    {
        switch (wire)
        {
            case WireType.Varint: Varint(); break;
            case WireType.Fixed64: Fixed(8); break;
            case WireType.LengthDelimited: Bytes(); break;
            case WireType.Fixed32: Fixed(4); break;
            default: throw new InvalidDataException($"protobuf wire type {(int)wire} (groups) is not supported");
        }
    }
}
