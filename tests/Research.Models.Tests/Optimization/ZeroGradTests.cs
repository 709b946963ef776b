using Research.Models.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Optimization;

/// <summary>
/// <see cref="Optimizer.ZeroGrad()"/> drops the gradients (PyTorch's set_to_none): the next backward's gradient is
/// adopted as it is, nothing accumulates across steps, and a parameter that gets no gradient is left alone by the
/// step; <c>ZeroGrad(false)</c> zeroes in place, so such a parameter still steps Adam's moments.
/// </summary>
public sealed class ZeroGradTests
{
    [Fact]
    public void GradientsAreDroppedAndTheNextBackwardIsAdoptedAsItIs()
    {
        manual_seed(3);
        var linear = nn.Linear(4, 3);
        using var sgd = new Sgd(linear.parameters(), 0.1);
        var x = randn([5, 4]);
        linear.call(x).sum().backward();
        var first = linear.weight!.grad!.clone();

        sgd.ZeroGrad();
        Assert.All(linear.parameters(), p => Assert.Null(p.grad));
        linear.call(x).sum().backward();
        // Not first + first: the dropped gradient did not survive into the second backward.
        Assert.True(linear.weight!.grad!.allclose(first, rtol: 0, atol: 0));
    }

    [Fact]
    public void InPlaceZeroingKeepsZeroGradients()
    {
        manual_seed(3);
        var linear = nn.Linear(4, 3);
        using var sgd = new Sgd(linear.parameters(), 0.1);
        linear.call(randn([5, 4])).sum().backward();

        sgd.ZeroGrad(setToNone: false);
        Assert.All(linear.parameters(), p => Assert.Equal(0.0, p.grad!.abs().max().item<float>()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AParameterOutsideTheGraphStepsOnlyWhenZeroedInPlace(bool setToNone)
    {
        // Adam moves a parameter whose gradient is zero once its moments are non-zero; with no gradient at all it is skipped.
        manual_seed(5);
        var used = nn.Linear(2, 1);
        var unused = nn.Linear(2, 1);
        var parameters = used.parameters().Concat(unused.parameters()).ToList();
        using var adam = new Adam(parameters, 0.1);
        unused.call(randn([3, 2])).sum().backward();
        used.call(randn([3, 2])).sum().backward();
        adam.Step();
        var before = unused.weight!.detach().clone();

        adam.ZeroGrad(setToNone);
        used.call(randn([3, 2])).sum().backward();
        adam.Step();

        Assert.Equal(setToNone, unused.weight!.detach().allclose(before, rtol: 0, atol: 0));
    }
}
