using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Interop;

/// <summary>
/// Builds one ONNX graph, node by node, with OnnxSharp's protobuf messages: float32 initialisers from tensors, inputs
/// and outputs with named (symbolic) or fixed dimensions, and fresh names for intermediate values.
/// Opset 17 and IR version 8: the newest that Debian 12's python3-onnx 1.12 checker accepts.
/// </summary>
public sealed class OnnxGraph
{
    public const int Opset = 17;
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private int _next;

    public OnnxGraph(string name) => _graph = new GraphProto { Name = name };

    /// <summary>A graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Names <paramref name="value"/> as a graph output (through Identity when it already has another name).</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        if (value != name)
            Node("Identity", [value], [name]);
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>A float32 initialiser holding <paramref name="values"/> (copied, converted to float32).</summary>
    public string Weight(string name, Tensor values)
    {
        using var scope = NewDisposeScope();
        var data = values.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        return Floats(name, data, values.shape);
    }

    public string Floats(string name, float[] data, params long[] dims)
    {
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant (an initialiser); <paramref name="dims"/> empty makes a scalar.</summary>
    public string Int64s(long[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(data);
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 vector constant.</summary>
    public string Int64s(params long[] data) => Int64s(data, data.Length);

    /// <summary>A node with one output, named afresh; returns that name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
        => Node(op, inputs, [Fresh(op.ToLowerInvariant())], attributes)[0];

    /// <summary>A node with the given outputs ("" leaves an optional input or output out).</summary>
    public IReadOnlyList<string> Node(string op, IEnumerable<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    public string Fresh(string stem) => $"{stem}_{_next++}";

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto Texts(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>The finished model, stamped with the opset, IR version and producer.</summary>
    public ModelProto Model(string docString)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "research", ProducerVersion = "1", Graph = _graph, DocString = docString };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"a dimension is a size or a name, got {dim}", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
