using Research.Experiments.Interop;
using Research.Models.Forecasting;
using Research.Models.Language;
using Research.Models.Recurrent;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Interop;

/// <summary>
/// ours → ONNX → ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU): every exported model gives TorchSharp's outputs on the
/// same inputs and state to 1e-5 in float32 (word, one-hot char, tied, peephole, GRU and RNN language models;
/// forecasters with RevIN, last-value norm, a dataset scaler, bidirectional), and the variants ONNX cannot express are
/// refused by name.
/// </summary>
public sealed class OnnxRuntimeParityTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("research-onnx").FullName;

    public static TheoryData<string> LanguageModels => [.. OnnxTestModels.LanguageKinds];

    [Theory]
    [MemberData(nameof(LanguageModels))]
    public void ALanguageModelRunsInOnnxRuntimeWithTorchSharpsLogitsAndState(string kind)
    {
        var model = OnnxTestModels.Language(kind);
        var path = Path.Combine(_dir, $"{kind}.onnx");
        OnnxExport.Write(path, model);

        using var tokens = InteropModels.Tokens(vocabulary: model.Options.VocabularySize, steps: 6, batch: 3);
        var initial = model.InitialState(3);
        using var generator = new Generator(11);
        initial.H.normal_(generator: generator);
        initial.C?.normal_(generator: generator);
        var isLstm = model.Options.Recurrence.Cell == RecurrentCellKind.Lstm;
        using var noGrad = no_grad();
        var (logits, final) = model.call(tokens, initial);

        var feeds = new Dictionary<string, Tensor> { ["tokens"] = tokens, ["h0"] = initial.H };
        if (isLstm)
            feeds["c0"] = initial.C!;
        var outputs = OnnxRuntimeRun.Run(path, feeds);
        OnnxRuntimeRun.AssertClose(log, $"{kind} logits", logits, outputs["logits"]);
        OnnxRuntimeRun.AssertClose(log, $"{kind} h_n", final.H, outputs["h_n"]);
        if (isLstm)
            OnnxRuntimeRun.AssertClose(log, $"{kind} c_n", final.C!, outputs["c_n"]);
        else
            Assert.False(outputs.ContainsKey("c_n"));
    }

    public static TheoryData<string> Forecasters => [.. OnnxTestModels.ForecasterKinds];

    [Theory]
    [MemberData(nameof(Forecasters))]
    public void AForecasterRunsInOnnxRuntimeWithTorchSharpsForecast(string kind)
    {
        var (model, scaling) = OnnxTestModels.Forecaster(kind);
        var path = Path.Combine(_dir, $"{kind}.onnx");
        OnnxExport.Write(path, model, scaling);

        using var generator = new Generator(13);
        using var window = randn([4, 9, model.Options.InputFeatures], generator: generator);
        using var noGrad = no_grad();
        using var expected = scaling is null ? model.call(window) : OnnxTestModels.ForecastInOriginalUnits(model, window, scaling);
        var outputs = OnnxRuntimeRun.Run(path, new Dictionary<string, Tensor> { ["window"] = window });
        OnnxRuntimeRun.AssertClose(log, $"{kind} forecast", expected, outputs["forecast"]);
    }

    [Theory]
    [InlineData("word")]
    [InlineData("tied")]
    [InlineData("peephole")]
    [InlineData("bidirectional")]
    [InlineData("gru")]
    public void EveryWeightIsInTheOnnxFileBitForBitInOnnxsGateOrder(string kind)
    {
        var model = OnnxTestModels.Language(kind);
        var path = Path.Combine(_dir, $"{kind}-weights.onnx");
        OnnxExport.Write(path, model);
        // Every float32 initialiser of the file, as its exact bits.
        var stored = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Initializer
            .Where(t => t.DataType == (int)Onnx.TensorProto.Types.DataType.Float)
            .Select(t => Convert.ToHexString(t.RawData.ToByteArray()))
            .ToHashSet(StringComparer.Ordinal);
        var state = model.state_dict();
        var lstm = model.Options.Recurrence.Cell == RecurrentCellKind.Lstm;
        // ONNX's gate blocks: LSTM i, o, f, c from our i, f, g, o; GRU z, r, h from our r, z, n.
        int[] order = lstm ? [0, 3, 1, 2] : [1, 0, 2];
        string Bits(params Tensor[] parts)
        {
            using var scope = NewDisposeScope();
            var floats = cat(parts.Select(p => p.detach().reshape(-1)).ToArray()).to_type(ScalarType.Float32).data<float>().ToArray();
            var bytes = new byte[floats.Length * sizeof(float)];
            Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
            return Convert.ToHexString(bytes);
        }
        Tensor Gates(string name) => cat(order.Select(i => state[name].chunk(order.Length)[i]).ToArray());
        var suffixes = model.Options.Recurrence.Directions == 2 ? new[] { "", "_reverse" } : [""];
        for (var k = 0; k < model.Options.Layers; k++)
        {
            Assert.Contains(Bits([.. suffixes.Select(s => Gates($"rnn.weight_ih_l{k}{s}"))]), stored);
            Assert.Contains(Bits([.. suffixes.Select(s => Gates($"rnn.weight_hh_l{k}{s}"))]), stored);
            Assert.Contains(Bits([.. suffixes.SelectMany(s => new[] { Gates($"rnn.bias_ih_l{k}{s}"), Gates($"rnn.bias_hh_l{k}{s}") })]), stored);
            if (kind == "peephole")
                Assert.Contains(Bits(state[$"rnn.weight_ci_l{k}"], state[$"rnn.weight_co_l{k}"], state[$"rnn.weight_cf_l{k}"]), stored);
        }
        Assert.Contains(Bits(state["encoder.weight"]), stored);
        Assert.Contains(Bits(state["decoder.bias"]), stored);
        // Stored transposed for MatMul (tied models multiply by the embedding matrix itself).
        if (kind != "tied")
            Assert.Contains(Bits(state["decoder.weight"].t()), stored);
    }

    [Theory]
    [InlineData("projection", "projection (LSTMP")]
    [InlineData("layer_norm", "layer norm")]
    [InlineData("cifg", "CIFG")]
    [InlineData("no_output_activation", "no output activation")]
    public void AVariantOnnxCannotExpressIsRefusedByName(string variant, string named)
    {
        var model = OnnxTestModels.Language(variant);
        var reason = OnnxExport.Unsupported(model);
        Assert.NotNull(reason);
        Assert.Contains(named, reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OnnxExport.Write(Path.Combine(_dir, "refused.onnx"), model));
        Assert.False(File.Exists(Path.Combine(_dir, "refused.onnx")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
