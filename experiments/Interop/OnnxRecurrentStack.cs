using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Experiments.Interop;

/// <summary>
/// A recurrent stack as ONNX nodes, one LSTM / GRU / RNN operator per layer, built from the state_dict names
/// (weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_c{i,f,o}_l{k}) and the resolved options.
/// ONNX orders the gate blocks differently: LSTM i, o, f, c (ours and nn.LSTM's i, f, g, o), GRU z, r, h (ours r, z, n,
/// with PyTorch's reset-after form: linear_before_reset = 1); its B is [W_b; R_b] and its peepholes P are [p_i; p_o; p_f].
/// </summary>
public static class OnnxRecurrentStack
{
    /// <summary>The LSTM variants ONNX's operator cannot express, by name; none for GRU and RNN.</summary>
    public static IEnumerable<string> Unsupported(RecurrentStackOptions options)
    {
        if (options.Cell != RecurrentCellKind.Lstm)
            yield break;
        var v = options.LstmVariant;
        if (v.ProjectionSize > 0) yield return "projection (LSTMP, variant.projection_size)";
        if (v.LayerNorm) yield return "layer norm (variant.layer_norm)";
        if (v.CoupledInputForget) yield return "coupled input-forget gate (CIFG, variant.coupled_input_forget)";
        if (v.NoForgetGate) yield return "no forget gate (variant.no_forget_gate)";
        if (v.NoInputGate) yield return "no input gate (variant.no_input_gate)";
        if (v.NoOutputGate) yield return "no output gate (variant.no_output_gate)";
        if (v.NoInputActivation) yield return "no input activation (variant.no_input_activation)";
        if (v.NoOutputActivation) yield return "no output activation (variant.no_output_activation)";
    }

    /// <summary>
    /// Adds the layers over <paramref name="x"/> [T, B, in]; <paramref name="h0"/> and <paramref name="c0"/> are
    /// [layers · directions, B, H] graph values or null (zeros). Returns the last layer's output [T, B, directions · H]
    /// and each layer's final h and c [directions, B, H] (c only for the LSTM).
    /// </summary>
    public static (string Output, List<string> H, List<string> C) Add(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> state,
        string prefix, RecurrentStackOptions options, long hidden, long layers, string x, string? h0, string? c0)
    {
        var (op, order) = options.Cell switch
        {
            RecurrentCellKind.Lstm => ("LSTM", new[] { 0, 3, 1, 2 }),
            RecurrentCellKind.Gru => ("GRU", new[] { 1, 0, 2 }),
            _ => ("RNN", new[] { 0 }),
        };
        var directions = options.Directions;
        var suffixes = directions == 2 ? new[] { "", "_reverse" } : [""];
        var peephole = options.Cell == RecurrentCellKind.Lstm && options.LstmVariant.Peephole;
        var (hs, cs) = (new List<string>(), new List<string>());
        for (long k = 0; k < layers; k++)
        {
            using var scope = NewDisposeScope();
            Tensor Stacked(string name, Func<string, Tensor> one) => stack(suffixes.Select(s => one($"{prefix}{name}_l{k}{s}")).ToArray());
            Tensor Gates(string name) => Reorder(Find(state, name), order);
            var w = graph.Weight(graph.Fresh($"{prefix}W{k}"), Stacked("weight_ih", Gates));
            var r = graph.Weight(graph.Fresh($"{prefix}R{k}"), Stacked("weight_hh", Gates));
            var b = graph.Weight(graph.Fresh($"{prefix}B{k}"), stack(suffixes.Select(s => cat([Gates($"{prefix}bias_ih_l{k}{s}"), Gates($"{prefix}bias_hh_l{k}{s}")])).ToArray()));
            var p = peephole
                ? graph.Weight(graph.Fresh($"{prefix}P{k}"), stack(suffixes.Select(s => cat(new[] { "ci", "co", "cf" }.Select(g => Find(state, $"{prefix}weight_{g}_l{k}{s}")).ToArray())).ToArray()))
                : "";
            var layerH0 = h0 is null ? "" : Layer(graph, h0, k, directions);
            var inputs = new List<string> { x, w, r, b, "", layerH0 };
            var outputs = new List<string> { graph.Fresh("y"), graph.Fresh("y_h") };
            var attributes = new List<Onnx.AttributeProto>
            {
                OnnxGraph.Int("hidden_size", hidden),
                OnnxGraph.Text("direction", directions == 2 ? "bidirectional" : "forward"),
            };
            switch (options.Cell)
            {
                case RecurrentCellKind.Lstm:
                    inputs.AddRange([c0 is null ? "" : Layer(graph, c0, k, directions), p]);
                    outputs.Add(graph.Fresh("y_c"));
                    break;
                case RecurrentCellKind.Gru:
                    attributes.Add(OnnxGraph.Int("linear_before_reset", 1));
                    break;
                default:
                    attributes.Add(OnnxGraph.Texts("activations", options.Cell == RecurrentCellKind.RnnRelu ? "Relu" : "Tanh"));
                    break;
            }
            var produced = graph.Node(op, inputs, outputs, [.. attributes]);
            hs.Add(produced[1]);
            if (produced.Count == 3)
                cs.Add(produced[2]);
            // Y [T, directions, B, H] → [T, B, directions · H], the next layer's input (forward features, then reverse).
            var transposed = graph.Node("Transpose", [produced[0]], OnnxGraph.Ints("perm", 0, 2, 1, 3));
            x = graph.Node("Reshape", [transposed, graph.Int64s(0, 0, -1)]);
        }
        return (x, hs, cs);
    }

    /// <summary>Layer k's slice [k·D, (k+1)·D) of a [layers · D, B, H] state.</summary>
    private static string Layer(OnnxGraph graph, string state, long k, int directions)
        => graph.Node("Slice", [state, graph.Int64s(k * directions), graph.Int64s((k + 1) * directions), graph.Int64s(0)]);

    private static Tensor Reorder(Tensor gates, int[] order)
    {
        var blocks = gates.chunk(order.Length, dim: 0);
        return cat(order.Select(i => blocks[i]).ToArray(), dim: 0);
    }

    /// <summary>A state_dict entry the resolved options say must be there.</summary>
    public static Tensor Find(IReadOnlyDictionary<string, Tensor> state, string name)
        => state.TryGetValue(name, out var tensor) ? tensor
            : throw new ArgumentException($"the model has no tensor '{name}' (it has {string.Join(", ", state.Keys)})");
}
