using Google.Protobuf;
using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Research.Experiments.Interop;

/// <summary>
/// A forecaster's dataset scaler as graph constants, per column in the model's order: scaled = (x − offset) / scale
/// (offset 0 and scale 1 for a column the scaler leaves alone).
/// </summary>
public sealed record OnnxColumnScaling(float[] InputOffset, float[] InputScale, float[] TargetOffset, float[] TargetScale);

/// <summary>
/// `research export --format onnx`: a language model or forecaster as an ONNX model (opset 17, IR 8, float32) built
/// from its state_dict and resolved options, run by ONNX Runtime without TorchSharp (docs/interop.md).
/// <code>
///   language model: tokens [T, B] int64, h0 [L·D, B, H], c0 (LSTM) ──▶ logits [T, B, V], h_n, c_n (LSTM)
///   forecaster:     window [B, lookback, features] ──▶ forecast [B, horizon, targets], both in the data's units
/// </code>
/// The window normalisation (last value, RevIN) and the dataset scaler are graph ops, so the graph reads and writes
/// original units. Dropout is left out: the graph is the model in eval mode.
/// </summary>
public static class OnnxExport
{
    /// <summary>What of <paramref name="model"/> ONNX cannot express, one line, or null when it can be exported.</summary>
    public static string? Unsupported(nn.Module model)
    {
        var options = model switch
        {
            LanguageModel lm => lm.Options.Recurrence,
            Forecaster f => f.Options.Recurrence,
            _ => null,
        };
        if (options is null)
            return $"ONNX export covers language models and forecasters, not {model.GetType().Name}";
        var variants = OnnxRecurrentStack.Unsupported(options).ToList();
        return variants.Count == 0 ? null : $"ONNX's {options.Cell.ToString().ToUpperInvariant()} operator cannot express the LSTM variant {string.Join(", ", variants)}";
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>; <paramref name="scaling"/> only for forecasters.</summary>
    /// <exception cref="ArgumentException">The model is of a kind or variant ONNX cannot express (<see cref="Unsupported"/>).</exception>
    public static void Write(string path, nn.Module model, OnnxColumnScaling? scaling = null)
    {
        if (Unsupported(model) is { } reason)
            throw new ArgumentException(reason, nameof(model));
        var state = model.state_dict();
        var graph = model is LanguageModel lm ? LanguageModelGraph(lm, state) : ForecasterGraph((Forecaster)model, state, scaling);
        File.WriteAllBytes(path, graph.ToByteArray());
    }

    private static Onnx.ModelProto LanguageModelGraph(LanguageModel model, IReadOnlyDictionary<string, Tensor> state)
    {
        var o = model.Options;
        var core = o.Recurrence;
        var isLstm = core.Cell == RecurrentCellKind.Lstm;
        var stateLayers = o.Layers * core.Directions;
        var graph = new OnnxGraph("language_model");
        var tokens = graph.Input("tokens", DataType.Int64, "T", "B");
        var h0 = graph.Input("h0", DataType.Float, stateLayers, "B", o.HiddenSize);
        var c0 = isLstm ? graph.Input("c0", DataType.Float, stateLayers, "B", o.HiddenSize) : null;

        string embedding = "";
        string x;
        if (o.Input == LanguageModelInput.OneHot)
        {
            // one_hot(t) of the vocabulary size, as the model feeds its first layer.
            x = graph.Node("OneHot", [tokens, graph.Int64s([o.VocabularySize], []), graph.Floats(graph.Fresh("off_on"), [0f, 1f], 2)], OnnxGraph.Int("axis", -1));
        }
        else
        {
            embedding = graph.Weight("encoder.weight", OnnxRecurrentStack.Find(state, "encoder.weight"));
            x = graph.Node("Gather", [embedding, tokens], OnnxGraph.Int("axis", 0));
        }
        var (output, hs, cs) = OnnxRecurrentStack.Add(graph, state, "rnn.", core, o.HiddenSize, o.Layers, x, h0, c0);
        // Tied: the decoder multiplies by the embedding matrix itself, stored once.
        var decoderT = o.TieWeights
            ? graph.Node("Transpose", [embedding], OnnxGraph.Ints("perm", 1, 0))
            : graph.Weight("decoder.weight_t", OnnxRecurrentStack.Find(state, "decoder.weight").t());
        var logits = graph.Node("Add", [graph.Node("MatMul", [output, decoderT]), graph.Weight("decoder.bias", OnnxRecurrentStack.Find(state, "decoder.bias"))]);
        graph.Output(logits, "logits", DataType.Float, "T", "B", o.VocabularySize);
        graph.Output(Concat(graph, hs), "h_n", DataType.Float, stateLayers, "B", o.HiddenSize);
        if (isLstm)
            graph.Output(Concat(graph, cs), "c_n", DataType.Float, stateLayers, "B", o.HiddenSize);
        return graph.Model($"research LanguageModel: {core.Cell} {o.Layers}x{o.HiddenSize}, vocabulary {o.VocabularySize}, input {o.Input}{(o.TieWeights ? ", tied" : "")}");
    }

    private static Onnx.ModelProto ForecasterGraph(Forecaster model, IReadOnlyDictionary<string, Tensor> state, OnnxColumnScaling? scaling)
    {
        var o = model.Options;
        var graph = new OnnxGraph("forecaster");
        var window = graph.Input("window", DataType.Float, "B", "lookback", o.InputFeatures);
        var x = scaling is null ? window
            : graph.Node("Div", [graph.Node("Sub", [window, graph.Floats("data_scaler.input_offset", scaling.InputOffset, o.InputFeatures)]),
                graph.Floats("data_scaler.input_scale", scaling.InputScale, o.InputFeatures)]);
        var norm = OnnxWindowNorm.Fit(graph, state, o.WindowNormalization, x, o.TargetFeatures, o.InputFeatures);
        x = norm.Normalize(x);
        var steps = graph.Node("Transpose", [x], OnnxGraph.Ints("perm", 1, 0, 2));
        var (output, _, _) = OnnxRecurrentStack.Add(graph, state, "encoder.", o.Recurrence, o.HiddenSize, o.Layers, steps, null, null);
        var last = graph.Node("Gather", [output, graph.Int64s([-1L], [])], OnnxGraph.Int("axis", 0));
        var head = graph.Node("Add", [graph.Node("MatMul", [last, graph.Weight("head.weight_t", OnnxRecurrentStack.Find(state, "head.weight").t())]),
            graph.Weight("head.bias", OnnxRecurrentStack.Find(state, "head.bias"))]);
        var forecast = norm.Denormalize(graph.Node("Reshape", [head, graph.Int64s(0, o.Horizon, o.TargetFeatures)]));
        if (scaling is not null)
        {
            forecast = graph.Node("Add", [graph.Node("Mul", [forecast, graph.Floats("data_scaler.target_scale", scaling.TargetScale, o.TargetFeatures)]),
                graph.Floats("data_scaler.target_offset", scaling.TargetOffset, o.TargetFeatures)]);
        }
        graph.Output(forecast, "forecast", DataType.Float, "B", o.Horizon, o.TargetFeatures);
        return graph.Model($"research Forecaster: {o.Recurrence.Cell} {o.Layers}x{o.HiddenSize}, horizon {o.Horizon}, window norm {o.WindowNormalization}{(scaling is null ? "" : ", dataset scaler")}");
    }

    private static string Concat(OnnxGraph graph, List<string> values)
        => values.Count == 1 ? values[0] : graph.Node("Concat", values, OnnxGraph.Int("axis", 0));
}
