using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// Every cell in a RecurrentStack, readable against torch with parameters copied either way (float64): same
/// parameter names, same outputs and state, the carried state accepted back; and the combinations it refuses.
/// </summary>
public sealed class RecurrentStackTests
{
    public static TheoryData<RecurrentCellKind> Cells() => new(Enum.GetValues<RecurrentCellKind>());

    [Theory]
    [MemberData(nameof(Cells))]
    public void ReadableAndTorchBackendsAgreeAfterParameterTransferEitherWay(RecurrentCellKind cell)
    {
        foreach (var fromExplicit in new[] { true, false })
            AgreeAfterTransfer(cell, fromExplicit);
    }

    private static void AgreeAfterTransfer(RecurrentCellKind cell, bool fromExplicit)
    {
        manual_seed(11);
        var ours = new RecurrentStack(new(cell, RecurrentBackendKind.Readable), 4, 5, 2, dtype: ScalarType.Float64);
        var reference = new RecurrentStack(new(cell, RecurrentBackendKind.Torch), 4, 5, 2, dtype: ScalarType.Float64);
        Assert.Equal(ours.state_dict().Keys, reference.state_dict().Keys);
        if (fromExplicit)
            ParameterTransfer.Copy(ours, reference);
        else
            ParameterTransfer.Copy(reference, ours);

        var x = randn([6, 3, 4], dtype: ScalarType.Float64);
        var (first, state) = ours.call(x);
        var (expected, stateRef) = reference.call(x);
        AssertClose(expected, first, cell, "output");
        AssertClose(stateRef.H, state.H, cell, "h");
        Assert.Equal(cell == RecurrentCellKind.Lstm, state.C is not null);
        if (state.C is not null)
            AssertClose(stateRef.C!, state.C, cell, "c");

        // The state goes back in (as the language model carries it) and both backends continue alike.
        var (next, _) = ours.call(x, state);
        var (nextRef, _) = reference.call(x, stateRef);
        AssertClose(nextRef, next, cell, "output after carried state");
        Assert.False(next.allclose(first), $"{cell}: the carried state made no difference");
    }

    [Theory]
    [InlineData(RecurrentCellKind.Lstm, true)]
    [InlineData(RecurrentCellKind.Gru, false)]
    [InlineData(RecurrentCellKind.RnnTanh, false)]
    public void OnlyTheLstmCarriesACellState(RecurrentCellKind cell, bool hasC)
    {
        foreach (var backend in new[] { RecurrentBackendKind.Auto, RecurrentBackendKind.Readable, RecurrentBackendKind.Torch })
        {
            var (_, state) = new RecurrentStack(new(cell, backend), 4, 5, 2).call(randn([6, 3, 4]));
            Assert.Equal([2L, 3L, 5L], state.H.shape);
            Assert.Equal(hasC, state.C is not null);
        }
    }

    [Fact]
    public void ReluRnnDiffersFromTanhRnn()
    {
        var tanh = RecurrentStack.Rnn(4, 5);
        var relu = RecurrentStack.Rnn(4, 5, nonLinearity: nn.NonLinearities.ReLU);
        ParameterTransfer.Copy(tanh, relu);
        var x = randn([6, 3, 4]);
        Assert.True(relu.call(x).output.min().item<float>() >= 0);
        Assert.False(relu.call(x).output.allclose(tanh.call(x).output));
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, 0.2, false, "WeightDrop: not available with backend torch")]
    [InlineData(RecurrentCellKind.Lstm, 0.2, false, "WeightDrop: not available with backend torch")]
    [InlineData(RecurrentCellKind.Lstm, 0.0, true, "LockedDropout: with 2 layers and dropout")]
    [InlineData(RecurrentCellKind.RnnTanh, 0.0, true, "LockedDropout: with 2 layers and dropout")]
    public void RefusesWhatTheTorchBackendCannotDo(RecurrentCellKind cell, double weightDrop, bool locked, string message)
    {
        var options = new RecurrentStackOptions(cell, RecurrentBackendKind.Torch, WeightDrop: weightDrop, LockedDropout: locked);
        var e = Assert.Throws<ArgumentException>(() => new RecurrentStack(options, 4, 5, 2, 0.3));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedDropoutNeedsNoSupportWithoutABetweenLayerMask()
    {
        Assert.Empty(new RecurrentStackOptions(RecurrentCellKind.Lstm, RecurrentBackendKind.Torch, LockedDropout: true).Unsupported(5, layers: 1, dropout: 0.5));
        Assert.Empty(new RecurrentStackOptions(RecurrentCellKind.Lstm, LockedDropout: true).Unsupported(5, layers: 2, dropout: 0.0));
    }

    [Fact]
    public void AVariantReachesTheLstmAndShapesItsOutputAndState()
    {
        var variant = LstmVariant.Standard with { ProjectionSize = 3, Bidirectional = true, Peephole = true };
        var stack = new RecurrentStack(new(Variant: variant), 4, 5, 2);
        Assert.Equal(variant, stack.Variant);
        Assert.Equal(6, stack.OutputSize);
        var initial = stack.InitialState(7, zeros(1));
        Assert.Equal([4L, 7L, 3L], initial.H.shape);
        Assert.Equal([4L, 7L, 5L], initial.C!.shape);
        var (output, state) = stack.call(randn([9, 7, 4]), initial);
        Assert.Equal([9L, 7L, 6L], output.shape);
        Assert.Equal(initial.H.shape, state.H.shape);
        Assert.Equal(initial.C.shape, state.C!.shape);
    }

    [Fact]
    public void TheTorchBackendRunsBidirectionalWithAForgetBiasAsTheFastOne()
    {
        var variant = LstmVariant.Standard with { Bidirectional = true, ForgetBias = 1.0 };
        manual_seed(5);
        var ours = new RecurrentStack(new(Backend: RecurrentBackendKind.Fast, Variant: variant), 4, 5, 2, dtype: ScalarType.Float64);
        var torchStack = new RecurrentStack(new(Backend: RecurrentBackendKind.Torch, Variant: variant), 4, 5, 2, dtype: ScalarType.Float64);
        // U(±1/√5) everywhere, but the f block of every bias_ih starts shifted by 1.
        var bound = 1 / Math.Sqrt(5);
        foreach (var (name, p) in torchStack.named_parameters().Where(p => p.name.StartsWith("bias_ih", StringComparison.Ordinal)))
        {
            Assert.True(p.narrow(0, 5, 5).min().item<double>() >= 1 - bound, $"{name}: forget block not shifted");
            Assert.True(p.narrow(0, 0, 5).max().item<double>() <= bound, $"{name}: input block shifted");
        }
        ParameterTransfer.Copy(ours, torchStack);
        var x = randn([6, 3, 4], dtype: ScalarType.Float64);
        var (expected, stateExpected) = ours.call(x);
        var (actual, state) = torchStack.call(x);
        AssertClose(expected, actual, RecurrentCellKind.Lstm, "output");
        AssertClose(stateExpected.H, state.H, RecurrentCellKind.Lstm, "h_n");
        AssertClose(stateExpected.C!, state.C!, RecurrentCellKind.Lstm, "c_n");
    }

    [Fact]
    public void TheTorchBackendKeepsNnLstmNamesAndFollowsTheModelToAnotherDtype()
    {
        manual_seed(3);
        var stack = RecurrentStack.Lstm(4, 5, 2, backend: RecurrentBackendKind.Torch);
        Assert.Equal(nn.LSTM(4, 5, 2).state_dict().Keys, stack.state_dict().Keys);
        Assert.Empty(stack.named_children().ToList());
        var readable = RecurrentStack.Lstm(4, 5, 2, dtype: ScalarType.Float64, backend: RecurrentBackendKind.Readable);
        stack.to(ScalarType.Float64);
        Assert.All(stack.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        ParameterTransfer.Copy(stack, readable);
        // Training the stack's registered parameters moves what the fused module computes with.
        using (no_grad())
        {
            var bias = stack.get_parameter("bias_hh_l1")!;
            bias.copy_(bias.neg());
        }
        ParameterTransfer.Copy(stack, readable);
        var x = randn([6, 3, 4], dtype: ScalarType.Float64);
        AssertClose(readable.call(x).output, stack.call(x).output, RecurrentCellKind.Lstm, "output after to(float64) and an in-place update");
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, RecurrentBackendKind.Readable, "Variant: is an LSTM option (peephole)")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentBackendKind.Torch, "Backend: the variant peephole changes the LSTM step, which only readable runs")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentBackendKind.Fast, "Backend: the variant peephole changes the LSTM step, which only readable runs")]
    public void RefusesAVariantTheCellOrBackendCannotRun(RecurrentCellKind cell, RecurrentBackendKind backend, string message)
    {
        var options = new RecurrentStackOptions(cell, backend, Variant: LstmVariant.Standard with { Peephole = true });
        var e = Assert.Throws<ArgumentException>(() => new RecurrentStack(options, 4, 5));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAContradictoryVariant()
    {
        var options = new RecurrentStackOptions(Variant: LstmVariant.Standard with { CoupledInputForget = true, NoForgetGate = true });
        var (option, reason) = Assert.Single(options.Unsupported(5, 1, 0.0));
        Assert.Equal(nameof(RecurrentStackOptions.Variant), option);
        Assert.Contains("cannot be combined with NoForgetGate", reason, StringComparison.Ordinal);
    }

    private static void AssertClose(Tensor expected, Tensor actual, RecurrentCellKind cell, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        if (!actual.allclose(expected, rtol: 1e-10, atol: 1e-12))
            Assert.Fail($"{cell} {what}: max difference {(actual - expected).abs().max().item<double>()}");
    }
}
