using Research.Models.Recurrent;
using Research.Models.Regularisation;
using Research.Models.Tests.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Regularisation;

/// <summary>
/// AWD-LSTM's weight drop on the explicit stacks: one DropConnect mask on each W_hh per forward pass, used at every
/// time step, with gradients reaching the raw weight through the mask.
/// </summary>
public sealed class WeightDropTests
{
    private const double P = 0.5;

    [Theory]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void EveryTimeStepUsesTheSameMaskAndGradientsReachTheRawWeight(string kind)
    {
        manual_seed(21);
        var stack = SingleStateRecurrentStackTests.Make(kind, 3, 5, 2, weightDrop: P, dtype: ScalarType.Float64);
        stack.train();
        var x = randn([6, 2, 3], dtype: ScalarType.Float64);

        // The masks the forward pass will draw: same seed, same draws in the same order (layer 0, then 1).
        manual_seed(99);
        var effective = stack.EffectiveWeights().Select(Detached).ToArray();
        manual_seed(99);
        var (output, hN) = stack.call(x);

        // A manual unroll in which every step uses that one masked W_hh per layer.
        var (manualOutput, manualH) = ManualUnroll.Run(kind, x, effective);
        Assert.True(output.allclose(manualOutput, rtol: 0, atol: 1e-14), "the forward pass does not use one mask for all steps");
        Assert.True(hN.H.allclose(manualH, rtol: 0, atol: 1e-14));

        // The mask really drops entries, so the comparison above could fail.
        var raw = stack.Layer(0).WeightHh;
        using var zero = 0.ToScalar();
        var kept = effective[0].WeightHh.ne(zero);
        Assert.True(kept.logical_not().any().item<bool>());

        // d loss / d W_raw = d loss / d W_effective ⊙ mask, mask = kept / (1 − p).
        var probe = randn(output.shape, dtype: ScalarType.Float64);
        (output * probe).sum().backward();
        var (again, _) = ManualUnroll.Run(kind, x, effective);
        (again * probe).sum().backward();
        using var keep = (1 - P).ToScalar();
        var expected = (effective[0].WeightHh.grad! * kept.to(ScalarType.Float64)).div(keep);
        Assert.True(raw.grad!.allclose(expected, rtol: 1e-12, atol: 1e-14), "gradient of the raw W_hh");
        Assert.True(raw.grad!.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void DropConnectScalesKeptEntriesAndIsIdentityInEval()
    {
        manual_seed(4);
        var w = randn([40, 30], dtype: ScalarType.Float64);
        Assert.Same(w, DropConnect.Apply(w, P, training: false));
        Assert.Same(w, DropConnect.Apply(w, 0, training: true));
        var dropped = DropConnect.Apply(w, P, training: true);
        using var zero = 0.ToScalar();
        using var keep = (1 - P).ToScalar();
        var kept = dropped.ne(zero);
        Assert.True(dropped.masked_select(kept).allclose(w.masked_select(kept).div(keep), rtol: 1e-14, atol: 0));
        var keptFraction = kept.to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(keptFraction, 0.4, 0.6);
        Assert.Throws<ArgumentOutOfRangeException>(() => DropConnect.Apply(w, 1.0, training: true));
    }

    private static RecurrentLayerWeights Detached(RecurrentLayerWeights w) => new(
        w.WeightIh.detach().clone().requires_grad_(), w.WeightHh.detach().clone().requires_grad_(),
        w.BiasIh?.detach().clone().requires_grad_(), w.BiasHh?.detach().clone().requires_grad_());
}
