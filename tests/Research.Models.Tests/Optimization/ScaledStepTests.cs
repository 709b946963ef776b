using Research.Models.Optimization;
using Research.Models.Tests.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// <see cref="Optimizer.Step(Tensor?)"/> with the clipping coefficient against clipping in place and stepping: the
/// same parameters bit for bit, whether the optimizer folds the scale into its update (plain SGD on float32, at each
/// kernel width, over sizes around the vector width and past the threads' split) or scales first (momentum, weight
/// decay, Adam, float64).
/// </summary>
public sealed class ScaledStepTests
{
    private static readonly long[] Sizes = [1, 7, 8, 15, 16, 17, 33, 1000, 200_003, 262_160];

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void PlainSgdFoldsTheScaleBitForBit(int width) => KernelWidth.At(width, () =>
    {
        var (folded, reference) = Twins(ScalarType.Float32);
        StepBoth(folded, reference, p => new Sgd(p, learningRate: 0.7));
        AssertSame(folded, reference);
        // Folded: the gradients were read, not scaled in place.
        Assert.True(folded.Zip(reference).All(pair => pair.First.grad!.abs().max().item<float>() > pair.Second.grad!.abs().max().item<float>()));
    });

    public static TheoryData<string> OptimizersThatScaleFirst() => ["sgd momentum", "sgd weight decay", "sgd nesterov", "adam", "sgd float64"];

    [Theory]
    [MemberData(nameof(OptimizersThatScaleFirst))]
    public void OtherOptimizersScaleFirst(string which)
    {
        var (scaled, reference) = Twins(which.EndsWith("float64", StringComparison.Ordinal) ? ScalarType.Float64 : ScalarType.Float32);
        Func<IEnumerable<Parameter>, Optimizer> make = which switch
        {
            "sgd momentum" => p => new Sgd(p, 0.1, momentum: 0.9),
            "sgd weight decay" => p => new Sgd(p, 0.1, weightDecay: 0.01),
            "sgd nesterov" => p => new Sgd(p, 0.1, momentum: 0.9, nesterov: true),
            "adam" => p => new Research.Models.Optimization.Adam(p, 0.01),
            _ => p => new Sgd(p, 0.1),
        };
        StepBoth(scaled, reference, make);
        AssertSame(scaled, reference);
    }

    [Fact]
    public void WithoutGradientsThereIsNoCoefficient() =>
        Assert.Equal((0.0, (Tensor?)null), GradientClipping.NormCoefficient([nn.Parameter(ones(3))], 1.0));

    // Two steps each: the coefficient handed to Step against ClipNorm in place and Step().
    private static void StepBoth(List<Parameter> scaled, List<Parameter> reference, Func<IEnumerable<Parameter>, Optimizer> make)
    {
        using var ours = make(scaled);
        using var theirs = make(reference);
        for (var step = 0; step < 2; step++)
        {
            // Fresh, equal gradients each step, as a backward pass would leave them.
            foreach (var (a, b) in scaled.Zip(reference))
            {
                var g = randn_like(a);
                (a.grad, b.grad) = (g, g.clone());
            }
            var (norm, coefficient) = GradientClipping.NormCoefficient(scaled, maxNorm: 0.25);
            Assert.Equal(GradientClipping.ClipNorm(reference, maxNorm: 0.25), norm);
            Assert.True(coefficient!.to(ScalarType.Float64).item<double>() < 0.1, "nothing was clipped");
            ours.Step(coefficient);
            theirs.Step();
        }
    }

    private static (List<Parameter>, List<Parameter>) Twins(ScalarType dtype)
    {
        manual_seed(5);
        var values = Sizes.Select(n => randn([n], dtype: dtype)).ToList();
        List<Parameter> Make() => [.. values.Select(v => nn.Parameter(v.clone()))];
        return (Make(), Make());
    }

    private static void AssertSame(List<Parameter> ours, List<Parameter> theirs)
    {
        foreach (var (a, b) in ours.Zip(theirs))
        {
            if (!a.equal(b).all().item<bool>())
                Assert.Fail($"parameter of {a.numel()} elements differs: max |Δ| {(a - b).abs().max().to(ScalarType.Float64).item<double>():E2}");
        }
    }
}
