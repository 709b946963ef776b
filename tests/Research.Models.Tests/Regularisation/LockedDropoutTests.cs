using Research.Models.Regularisation;
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
        var keep = 1 / (1 - p);
        Assert.True((first.eq(0) | (first - keep).abs().lt(1e-12)).all().item<bool>(), "mask entries are 0 or 1/(1−p)");
        Assert.True(first.eq(0).any().item<bool>());
        Assert.True(first.ne(0).any().item<bool>());
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
}
