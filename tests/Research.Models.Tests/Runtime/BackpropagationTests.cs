using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Runtime;

/// <summary>
/// <see cref="Backpropagation.Run(Tensor)"/> hands the explicit layers' weight gradients to empty <c>.grad</c>s: every
/// gradient equals a plain <c>backward()</c>'s bit for bit, gradients still accumulate where a <c>.grad</c> is set or a
/// weight feeds two nodes, non-leaf (weight-dropped) and frozen weights are left to autograd, and
/// <c>torch.autograd.grad</c> outside it captures gradients without touching <c>.grad</c>.
/// </summary>
public sealed class BackpropagationTests
{
    public static TheoryData<string> Backends() =>
        LstmStepKernel.IsSupported ? new("fast", "kernel") : new("fast");

    [Theory]
    [MemberData(nameof(Backends))]
    public void RunGivesPlainBackwardsGradients(string backend)
    {
        var (plain, handed, x) = Twins(backend);
        var expected = Gradients(plain, x, loss => loss.backward());
        var actual = Gradients(handed, x, Backpropagation.Run);
        AssertEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void GradientsAccumulateAcrossTwoRuns(string backend)
    {
        var (stack, _, x) = Twins(backend);
        var once = Gradients(stack, x, Backpropagation.Run);
        var twice = Gradients(stack, x, Backpropagation.Run, runs: 2);
        using var two = 2.ToScalar();
        AssertEqual(once.ToDictionary(p => p.Key, p => p.Value.mul(two)), twice);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void WeightsFeedingTwoNodesGetTheSum(string backend)
    {
        var (plain, handed, x) = Twins(backend);
        Tensor Twice(RecurrentStack s, Tensor input)
        {
            var forward = s.call(input, null).output.sum();
            var reversed = s.call(input.flip(0), null).output;
            return forward.Plus(reversed.mul(reversed).sum());
        }
        var expected = Gradients(plain, x, loss => loss.backward(), Twice);
        var actual = Gradients(handed, x, Backpropagation.Run, Twice);
        AssertEqual(expected, actual);
    }

    [Fact]
    public void WeightDroppedAndFrozenWeightsAreLeftToAutograd()
    {
        manual_seed(5);
        var plain = RecurrentStack.Lstm(6, 8, 2, weightDrop: 0.5, backend: RecurrentBackendKind.Fast);
        var handed = RecurrentStack.Lstm(6, 8, 2, weightDrop: 0.5, backend: RecurrentBackendKind.Fast);
        handed.load_state_dict(plain.state_dict());
        foreach (var s in new[] { plain, handed })
            s.named_parameters().Single(p => p.name.EndsWith("weight_ih_l0", StringComparison.Ordinal)).parameter.requires_grad_(false);
        var x = randn(5, 3, 6);
        // Same DropConnect masks on both sides: each forward draws them after the same seed.
        Tensor Seeded(RecurrentStack s, Tensor input)
        {
            manual_seed(9);
            return s.call(input, null).output.sum();
        }
        var expected = Gradients(plain, x, loss => loss.backward(), Seeded);
        var actual = Gradients(handed, x, Backpropagation.Run, Seeded);
        AssertEqual(expected, actual);
        Assert.DoesNotContain(actual.Keys, k => k.EndsWith("weight_ih_l0", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void AutogradGradCapturesWithoutTouchingGrad(string backend)
    {
        var (stack, _, x) = Twins(backend);
        var handed = Gradients(stack, x, Backpropagation.Run);
        stack.zero_grad();
        // A failed Run first: its flag must not outlive it, or autograd.grad below would lose its gradient to .grad.
        Assert.ThrowsAny<Exception>(() => Backpropagation.Run(zeros(1)));
        var weight = stack.named_parameters().Single(p => p.name.EndsWith("weight_hh_l1", StringComparison.Ordinal));
        var loss = stack.call(x, null).output.sum();
        var captured = autograd.grad([loss], [weight.parameter]);
        Assert.Null(weight.parameter.grad);
        Assert.True(captured[0].allclose(handed[weight.name], rtol: 0, atol: 0), "autograd.grad's gradient differs from the handed-over one");
    }

    private static (RecurrentStack Plain, RecurrentStack Handed, Tensor X) Twins(string backend)
    {
        manual_seed(3);
        var kind = Enum.Parse<RecurrentBackendKind>(backend, ignoreCase: true);
        var plain = RecurrentStack.Lstm(7, 12, 2, backend: kind);
        var handed = RecurrentStack.Lstm(7, 12, 2, backend: kind);
        handed.load_state_dict(plain.state_dict());
        return (plain, handed, randn(6, 4, 7));
    }

    private static Dictionary<string, Tensor> Gradients(RecurrentStack stack, Tensor x, Action<Tensor> backward,
        Func<RecurrentStack, Tensor, Tensor>? loss = null, int runs = 1)
    {
        stack.zero_grad();
        var input = x.detach().requires_grad_();
        for (var r = 0; r < runs; r++)
            backward((loss ?? ((s, i) => s.call(i, null).output.sum()))(stack, input));
        var grads = stack.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        grads["input"] = input.grad!.clone();
        return grads;
    }

    private static void AssertEqual(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, grad) in expected)
            Assert.True(grad.allclose(actual[name], rtol: 0, atol: 0), $"{name}: gradients differ");
    }
}
