using Research.Models.Optimization;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// <see cref="GradientClipping"/> against TorchSharp's nn.utils.clip_grad_norm_ and clip_grad_value_ on copies of the
/// same gradients: the same returned norm and the same clipped gradients, bit for bit.
/// </summary>
public sealed class GradientClippingTests
{
    [Theory]
    [InlineData(0.5, 5, "float64")]  // clips
    [InlineData(1e6, 5, "float64")]  // coefficient clamped to 1: unchanged
    [InlineData(0.5, 1, "float64")]  // one gradient: libtorch takes its norm without stacking
    [InlineData(0.5, 5, "float32")]
    [InlineData(1e6, 5, "float32")]
    public void ClipNormMatchesTorchSharp(double maxNorm, int count, string dtypeName)
    {
        var dtype = dtypeName == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var (ours, theirs) = Twins(count, dtype);
        var norm = GradientClipping.ClipNorm(ours, maxNorm);
        var reference = nn.utils.clip_grad_norm_(theirs, maxNorm);
        Assert.Equal(reference, norm);
        AssertSameGradients(ours, theirs);
        if (maxNorm < 1)
            Assert.True(norm > 2 * maxNorm, $"the gradients were small ({norm}): nothing was clipped");
    }

    [Fact]
    public void ClipNormWithoutGradientsReturnsZero() =>
        Assert.Equal(0.0, GradientClipping.ClipNorm([nn.Parameter(ones(3))], 1.0));

    [Theory]
    [InlineData(0.3)]
    [InlineData(100.0)]
    public void ClipValueMatchesTorchSharp(double clipValue)
    {
        var (ours, theirs) = Twins(5, ScalarType.Float64);
        GradientClipping.ClipValue(ours, clipValue);
        nn.utils.clip_grad_value_(theirs, clipValue);
        AssertSameGradients(ours, theirs);
        Assert.True(ours.Where(p => p.grad is not null).Max(p => p.grad!.abs().max().item<double>()) <= clipValue);
    }

    /// <summary>Parameters with equal random gradients (one more parameter with none), twice.</summary>
    private static (List<Parameter>, List<Parameter>) Twins(int count, ScalarType dtype)
    {
        manual_seed(3);
        var grads = Enumerable.Range(0, count).Select(i => randn([i + 2, 3], dtype: dtype)).ToList();
        List<Parameter> Make()
        {
            var parameters = grads.Select(g => nn.Parameter(zeros_like(g))).ToList();
            foreach (var (p, g) in parameters.Zip(grads))
                p.grad = g.clone();
            parameters.Add(nn.Parameter(zeros(4, dtype: dtype)));
            return parameters;
        }
        return (Make(), Make());
    }

    private static void AssertSameGradients(List<Parameter> ours, List<Parameter> theirs)
    {
        foreach (var (a, b) in ours.Zip(theirs))
        {
            Assert.Equal(a.grad is null, b.grad is null);
            if (a.grad is not null)
                Assert.Equal(0.0, (a.grad - b.grad!).abs().max().ReadDouble());
        }
    }
}
