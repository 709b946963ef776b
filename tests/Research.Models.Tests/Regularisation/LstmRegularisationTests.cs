using Research.Models.Parity;
using Research.Models.Recurrent;
using Research.Models.Regularisation;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Regularisation;

/// <summary>
/// AWD-LSTM's regularisers on the explicit LSTM: weight drop (one DropConnect mask per W_hh and forward pass, in
/// both implementations) and locked between-layer dropout (one mask per sequence).
/// </summary>
public sealed class LstmRegularisationTests
{
    private const double P = 0.5;

    [Theory]
    [InlineData(RecurrentBackendKind.Readable)]
    [InlineData(RecurrentBackendKind.Fast)]
    public void WeightDropRunsTheStandardStackOnOneMaskedWhhPerLayer(RecurrentBackendKind implementation)
    {
        manual_seed(21);
        var dropped = RecurrentStack.Lstm(3, 5, 2, dtype: ScalarType.Float64, backend: implementation, weightDrop: P);
        var plain = RecurrentStack.Lstm(3, 5, 2, dtype: ScalarType.Float64, backend: implementation);
        ParameterTransfer.Copy(dropped, plain);
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);

        // The masks the forward pass will draw: same seed, same draws in the same order (layer 0, then 1).
        manual_seed(99);
        var masked = Enumerable.Range(0, 2).Select(k => DropConnect.Apply(dropped.Layer(k).WeightHh, P, training: true).detach()).ToArray();
        using (no_grad())
        {
            for (var k = 0; k < 2; k++)
                plain.Layer(k).WeightHh.copy_(masked[k]);
        }
        manual_seed(99);
        var (output, (h, c)) = dropped.call(x);
        var (expected, (hExpected, cExpected)) = plain.call(x);
        Assert.True(output.allclose(expected, rtol: 0, atol: 1e-14), "the forward pass does not use one mask for all steps");
        Assert.True(h.allclose(hExpected, rtol: 0, atol: 1e-14) && c.allclose(cExpected, rtol: 0, atol: 1e-14));

        // d loss / d W_raw = d loss / d W_masked ⊙ kept / (1 − p); the dropped entries get exactly zero.
        var probe = randn(output.shape, dtype: ScalarType.Float64);
        (output * probe).sum().backward();
        (expected * probe).sum().backward();
        using var zero = 0.ToScalar();
        using var keep = (1 - P).ToScalar();
        for (var k = 0; k < 2; k++)
        {
            var kept = masked[k].ne(zero).to(ScalarType.Float64);
            Assert.True(kept.min().item<double>() == 0, "the mask drops nothing, so the test could not fail");
            var want = (plain.Layer(k).WeightHh.grad! * kept).div(keep);
            Assert.True(dropped.Layer(k).WeightHh.grad!.allclose(want, rtol: 1e-12, atol: 1e-14), $"gradient of the raw weight_hh_l{k}");
        }
    }

    [Fact]
    public void WeightDropIsTheIdentityInEval()
    {
        manual_seed(3);
        var dropped = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Fast, weightDrop: P);
        var plain = RecurrentStack.Lstm(3, 4, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Fast);
        ParameterTransfer.Copy(dropped, plain);
        dropped.eval();
        var x = randn([5, 2, 3], dtype: ScalarType.Float64);
        Assert.True(dropped.call(x).output.eq(plain.call(x).output).all().item<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BetweenLayerDropoutIsLockedOverTimeWhenAsked(bool locked)
    {
        manual_seed(7);
        var lstm = RecurrentStack.Lstm(3, 8, 2, dropout: 0.5, dtype: ScalarType.Float64, lockedDropout: locked, backend: RecurrentBackendKind.Readable);
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);

        // The same stack by hand: layer 0, the between-layer dropout drawn from the same seed, layer 1.
        var layer0 = SingleLayer(lstm, 0, inputSize: 3);
        var layer1 = SingleLayer(lstm, 1, inputSize: 8);
        manual_seed(11);
        var (output, _) = lstm.call(x);
        manual_seed(11);
        var between = layer0.call(x).output;
        var dropped = locked ? LockedDropout.Apply(between, 0.5, training: true) : nn.functional.dropout(between, 0.5, training: true);
        Assert.True(output.allclose(layer1.call(dropped).output, rtol: 0, atol: 1e-14));

        // Locked: one [B, F] pattern of dropped units for every step; per element: patterns that differ over time.
        using var zero = 0.ToScalar();
        var zeroPattern = dropped.eq(zero);
        var sameEveryStep = Enumerable.Range(1, 5).All(t => zeroPattern[t].eq(zeroPattern[0]).all().item<bool>());
        Assert.Equal(locked, sameEveryStep);
    }

    /// <summary>Layer <paramref name="k"/> of <paramref name="stack"/> as a one-layer Lstm with the same weights.</summary>
    private static RecurrentStack SingleLayer(RecurrentStack stack, long k, long inputSize)
    {
        var layer = RecurrentStack.Lstm(inputSize, stack.HiddenSize, 1, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        var (weightIh, weightHh, biasIh, biasHh) = stack.Layer(k);
        var (toIh, toHh, toBiasIh, toBiasHh) = layer.Layer(0);
        using (no_grad())
        {
            toIh.copy_(weightIh);
            toHh.copy_(weightHh);
            toBiasIh!.copy_(biasIh!);
            toBiasHh!.copy_(biasHh!);
        }
        return layer;
    }
}
