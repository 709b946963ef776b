using Research.Models.Regularisation;
using Research.Models.Tests.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Regularisation;

/// <summary>Locked dropout draws one mask per sequence and applies it at every time step; identity in eval.</summary>
public sealed class LockedDropoutTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneMaskSharedOverTimeScaledByOneOverKeep(bool batchFirst)
    {
        manual_seed(31);
        const double p = 0.3;
        var dropout = new LockedDropout(p, batchFirst);
        var x = randn([20, 4, 16], dtype: ScalarType.Float64); // [T, B, F], or [B=20, T=4, F] batch-first
        var timeDim = batchFirst ? 1 : 0;
        var y = dropout.call(x);

        var ratio = y / x; // x has no zeros: the mask itself, broadcast over time
        var first = ratio.narrow(timeDim, 0, 1);
        Assert.True(ratio.allclose(first.expand_as(ratio), rtol: 1e-14, atol: 0), "the mask changes over time");
        using var keep = (1 / (1 - p)).ToScalar();
        using var zero = 0.ToScalar();
        using var tolerance = 1e-12.ToScalar();
        Assert.True((first.eq(zero) | first.sub(keep).abs().lt(tolerance)).all().item<bool>(), "mask entries are 0 or 1/(1−p)");
        Assert.True(first.eq(zero).any().item<bool>());
        Assert.True(first.ne(zero).any().item<bool>());
    }

    [Fact]
    public void MaskKeepsOneMinusPOnAverageAndEvalIsIdentity()
    {
        manual_seed(32);
        var dropout = new LockedDropout(0.4);
        var mask = dropout.Mask(zeros(1, 64, 64, dtype: ScalarType.Float64));
        Assert.Equal([1L, 64L, 64L], mask.shape);
        Assert.InRange(mask.mean().item<double>(), 0.95, 1.05); // E[mask] = 1

        var x = randn([5, 2, 3]);
        dropout.eval();
        Assert.Same(x, dropout.call(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LockedDropout(1.0));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void StackWithLockedDropoutUsesOneMaskPerSequenceBetweenLayers(string kind)
    {
        manual_seed(33);
        var stack = SingleStateRecurrentStackTests.Make(kind, 3, 6, 2, dropout: 0.5, lockedDropout: true, dtype: ScalarType.Float64);
        stack.train();
        var x = randn([8, 2, 3], dtype: ScalarType.Float64);

        // The one mask the forward pass will draw between layer 0 and layer 1: same seed, same shape [1, B, H].
        manual_seed(77);
        var mask = LockedDropout.Mask(zeros([8, 2, 6], dtype: ScalarType.Float64), 0.5);
        manual_seed(77);
        var (output, hN) = stack.call(x);

        var (manualOutput, manualH) = ManualUnroll.Run(kind, x, stack.EffectiveWeights(), layerOutput => layerOutput * mask);
        using var zero = 0.ToScalar();
        Assert.True(mask.eq(zero).any().item<bool>());
        Assert.True(output.allclose(manualOutput, rtol: 0, atol: 1e-14), "between-layer dropout is not one mask per sequence");
        Assert.True(hN.H.allclose(manualH, rtol: 0, atol: 1e-14));
    }
}
