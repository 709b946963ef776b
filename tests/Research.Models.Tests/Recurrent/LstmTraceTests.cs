using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary><see cref="LstmTrace"/> records what the step computed and changes nothing; <see cref="GateSaturation"/> counts correctly.</summary>
public sealed class LstmTraceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TracingChangesNeitherOutputsNorGradients(bool bidirectional)
    {
        manual_seed(11);
        var lstm = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: new() { Bidirectional = bidirectional, Peephole = true }, backend: RecurrentBackendKind.Readable);
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);
        var untraced = RunWithGradients(lstm, x);
        lstm.Trace = new LstmTrace();
        var traced = RunWithGradients(lstm, x);

        Assert.Equal(untraced.Keys, traced.Keys);
        foreach (var key in untraced.Keys)
            Assert.True(untraced[key].allclose(traced[key], rtol: 0, atol: 0), key);
        Assert.Equal(bidirectional ? 4 : 2, lstm.Trace!.Layers.Count);
        Assert.All(lstm.Trace!.Layers, layer => Assert.False(layer.I.requires_grad));
    }

    [Fact]
    public void TraceHoldsEachStepsGatesAndStatesInTimeOrder()
    {
        manual_seed(12);
        var lstm = TracedLstm.Of(RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, variant: new() { Bidirectional = true }, backend: RecurrentBackendKind.Readable));
        var (output, (h, c)) = lstm.call(randn([5, 2, 3], dtype: ScalarType.Float64));
        var layers = lstm.Trace!.Layers;
        Assert.Equal(["layer 0", "layer 0 reverse", "layer 1", "layer 1 reverse"], layers.Select(l => l.Name));
        Assert.All(layers, l => Assert.Equal([5L, 2L, 4L], l.C.shape));
        // Forward direction ends at t = T−1, the reverse one at t = 0; the output is [forward | reverse].
        Assert.True(layers[2].C[4].allclose(c[2], rtol: 0, atol: 0) && layers[3].C[0].allclose(c[3], rtol: 0, atol: 0));
        Assert.True(layers[2].H.allclose(output.narrow(2, 0, 4), rtol: 0, atol: 0) && layers[3].H.allclose(output.narrow(2, 4, 4), rtol: 0, atol: 0));
        Assert.True(layers[0].H[4].allclose(h[0], rtol: 0, atol: 0));
        var gates = cat([layers[0].I, layers[0].F, layers[0].O]);
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        Assert.True(gates.ge(zero).all().item<bool>() && gates.le(one).all().item<bool>());
    }

    [Fact]
    public void TraceTensorsSurviveTheCallersDisposeScope()
    {
        var lstm = TracedLstm.Of(RecurrentStack.Lstm(2, 3, backend: RecurrentBackendKind.Readable));
        using (NewDisposeScope())
            lstm.call(randn([4, 1, 2]));
        Assert.Equal(4, lstm.Trace!.Layers[0].G.shape[0]);
        Assert.True(float.IsFinite(lstm.Trace!.Layers[0].G.sum().item<float>()));
    }

    [Fact]
    public void SaturationCountsStepsBelowPointOneAndAbovePointNinePerUnit()
    {
        // [T = 4, B = 1, H = 2]: unit 0 is 0.05, 0.5, 0.95, 0.99; unit 1 is always 0.5.
        var gate = tensor(new[] { 0.05, 0.5, 0.5, 0.5, 0.95, 0.5, 0.99, 0.5 }).reshape(4, 1, 2);
        var saturation = GateSaturation.Of("layer 0", "forget", gate);
        Assert.Equal([0.25, 0.0], saturation.Left);
        Assert.Equal([0.5, 0.0], saturation.Right);
        Assert.Equal(0.125, saturation.MeanLeft, 12);
        Assert.Equal(0, saturation.UnitsMostlyRight);

        var lstm = TracedLstm.Of(RecurrentStack.Lstm(2, 3, variant: new() { NoOutputGate = true }, backend: RecurrentBackendKind.Readable));
        lstm.call(randn([5, 2, 2]));
        var all = GateSaturation.Of(lstm.Trace!);
        Assert.Equal(["input", "forget", "output"], all.Select(s => s.Gate));
        Assert.All(all[2].Right, fraction => Assert.Equal(1.0, fraction)); // o = 1: always right-saturated
    }

    private static Dictionary<string, Tensor> RunWithGradients(RecurrentStack lstm, Tensor x)
    {
        lstm.zero_grad();
        var input = x.detach().clone().requires_grad_();
        var (output, (h, c)) = lstm.call(input);
        output.mul(output).sum().Plus(h.sum()).Plus((c * c).sum()).backward();
        var result = new Dictionary<string, Tensor> { ["output"] = output.detach().clone(), ["grad input"] = input.grad!.clone() };
        foreach (var (name, p) in lstm.named_parameters())
            result[$"grad {name}"] = p.grad!.clone();
        return result;
    }
}
