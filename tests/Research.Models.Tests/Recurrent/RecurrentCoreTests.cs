using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// Every cell built by RecurrentCore, explicit against torch with parameters copied either way (float64): same
/// parameter names, same outputs and state, the carried state accepted back; and the combinations it refuses.
/// </summary>
public sealed class RecurrentCoreTests
{
    public static TheoryData<RecurrentCellKind, bool> CellsBothWays()
    {
        var data = new TheoryData<RecurrentCellKind, bool>();
        foreach (var cell in Enum.GetValues<RecurrentCellKind>())
        {
            data.Add(cell, true);
            data.Add(cell, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CellsBothWays))]
    public void ExplicitAndTorchCoresAgreeAfterParameterTransfer(RecurrentCellKind cell, bool fromExplicit)
    {
        manual_seed(11);
        var ours = RecurrentCore.Create(new(cell, RecurrentCoreKind.Lstm), 4, 5, 2, 0.0, dtype: ScalarType.Float64);
        var reference = RecurrentCore.Create(new(cell, RecurrentCoreKind.Torch), 4, 5, 2, 0.0, dtype: ScalarType.Float64);
        if (fromExplicit)
            ParameterTransfer.Copy(ours.Module, reference.Module);
        else
            ParameterTransfer.Copy(reference.Module, ours.Module);

        var x = randn([6, 3, 4], dtype: ScalarType.Float64);
        var (first, (h, c)) = ours.Forward(x, null);
        var (expected, (hRef, cRef)) = reference.Forward(x, null);
        AssertClose(expected, first, cell, "output");
        AssertClose(hRef, h, cell, "h");
        AssertClose(cRef, c, cell, "c");

        // The state goes back in (as the language model carries it) and both cores continue alike.
        var (next, _) = ours.Forward(x, (h, c));
        var (nextRef, _) = reference.Forward(x, (hRef, cRef));
        AssertClose(nextRef, next, cell, "output after carried state");
        Assert.False(next.allclose(first), $"{cell}: the carried state made no difference");
    }

    [Theory]
    [InlineData(RecurrentCellKind.Lstm, new long[] { 2, 3, 5 })]
    [InlineData(RecurrentCellKind.Gru, new long[] { 0 })]
    [InlineData(RecurrentCellKind.RnnTanh, new long[] { 0 })]
    public void SingleStateCellsReturnAnEmptyC(RecurrentCellKind cell, long[] cShape)
    {
        foreach (var core in Enum.GetValues<RecurrentCoreKind>())
        {
            var (_, (h, c)) = RecurrentCore.Create(new(cell, core), 4, 5, 2, 0.0).Forward(randn([6, 3, 4]), null);
            Assert.Equal([2L, 3L, 5L], h.shape);
            Assert.Equal(cShape, c.shape);
        }
    }

    [Fact]
    public void ReluRnnDiffersFromTanhRnn()
    {
        var tanh = RecurrentCore.Create(new(RecurrentCellKind.RnnTanh), 4, 5, 1, 0.0);
        var relu = RecurrentCore.Create(new(RecurrentCellKind.RnnRelu), 4, 5, 1, 0.0);
        ParameterTransfer.Copy(tanh.Module, relu.Module);
        var x = randn([6, 3, 4]);
        Assert.True(relu.Forward(x, null).output.min().item<float>() >= 0);
        Assert.False(relu.Forward(x, null).output.allclose(tanh.Forward(x, null).output));
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, RecurrentCoreKind.Torch, 0.2, false, "WeightDrop: not available with the torch core")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentCoreKind.Torch, 0.2, false, "WeightDrop: not available with the torch core")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentCoreKind.Torch, 0.0, true, "LockedDropout: with 2 layers and dropout")]
    [InlineData(RecurrentCellKind.RnnTanh, RecurrentCoreKind.Torch, 0.0, true, "LockedDropout: with 2 layers and dropout")]
    public void RefusesWhatTheCoreCannotDo(RecurrentCellKind cell, RecurrentCoreKind core, double weightDrop, bool locked, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => RecurrentCore.Create(new(cell, core, WeightDrop: weightDrop, LockedDropout: locked), 4, 5, 2, 0.3));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedDropoutNeedsNoSupportWithoutABetweenLayerMask()
    {
        Assert.Empty(new RecurrentCoreOptions(RecurrentCellKind.Lstm, RecurrentCoreKind.Torch, LockedDropout: true).Unsupported(layers: 1, dropout: 0.5));
        Assert.Empty(new RecurrentCoreOptions(RecurrentCellKind.Lstm, LockedDropout: true).Unsupported(layers: 2, dropout: 0.0));
    }

    [Fact]
    public void AVariantReachesTheExplicitLstmAndShapesItsOutputAndState()
    {
        var variant = LstmVariant.Standard with { ProjectionSize = 3, Bidirectional = true, Peephole = true };
        var core = RecurrentCore.Create(new(Variant: variant), 4, 5, 2, 0.0);
        Assert.Equal(variant, Assert.IsType<Lstm>(core.Module).Variant);
        Assert.Equal(6, core.OutputSize);
        var (h0, c0) = core.InitialState(7, zeros(1));
        Assert.Equal([4L, 7L, 3L], h0.shape);
        Assert.Equal([4L, 7L, 5L], c0.shape);
        var (output, (h, c)) = core.Forward(randn([9, 7, 4]), (h0, c0));
        Assert.Equal([9L, 7L, 6L], output.shape);
        Assert.Equal(h0.shape, h.shape);
        Assert.Equal(c0.shape, c.shape);
    }

    [Fact]
    public void TheTorchCoreRunsBidirectionalWithAForgetBiasAsTheExplicitOne()
    {
        var variant = LstmVariant.Standard with { Bidirectional = true, ForgetBias = 1.0 };
        manual_seed(5);
        var ours = RecurrentCore.Create(new(Implementation: LstmImplementation.Fast, Variant: variant), 4, 5, 2, 0.0, dtype: ScalarType.Float64);
        var torchCore = RecurrentCore.Create(new(Core: RecurrentCoreKind.Torch, Variant: variant), 4, 5, 2, 0.0, dtype: ScalarType.Float64);
        // U(±1/√5) everywhere, but the f block of every bias_ih starts shifted by 1.
        var bound = 1 / Math.Sqrt(5);
        foreach (var (name, p) in torchCore.Module.named_parameters().Where(p => p.name.StartsWith("bias_ih", StringComparison.Ordinal)))
        {
            Assert.True(p.narrow(0, 5, 5).min().item<double>() >= 1 - bound, $"{name}: forget block not shifted");
            Assert.True(p.narrow(0, 0, 5).max().item<double>() <= bound, $"{name}: input block shifted");
        }
        ParameterTransfer.Copy(ours.Module, torchCore.Module);
        var x = randn([6, 3, 4], dtype: ScalarType.Float64);
        var (expected, (hExpected, cExpected)) = ours.Forward(x, null);
        var (actual, (h, c)) = torchCore.Forward(x, null);
        AssertClose(expected, actual, RecurrentCellKind.Lstm, "output");
        AssertClose(hExpected, h, RecurrentCellKind.Lstm, "h_n");
        AssertClose(cExpected, c, RecurrentCellKind.Lstm, "c_n");
    }

    [Theory]
    [InlineData(RecurrentCellKind.Gru, RecurrentCoreKind.Lstm, "Variant: is an LSTM option (peephole)")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentCoreKind.Torch, "Variant: peephole changes the LSTM step, which TorchSharp's fused nn.LSTM cannot")]
    public void RefusesAVariantTheCellOrCoreCannotRun(RecurrentCellKind cell, RecurrentCoreKind core, string message)
    {
        var options = new RecurrentCoreOptions(cell, core, Variant: LstmVariant.Standard with { Peephole = true });
        var e = Assert.Throws<ArgumentException>(() => RecurrentCore.Create(options, 4, 5, 1, 0.0));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAContradictoryVariant()
    {
        var options = new RecurrentCoreOptions(Variant: LstmVariant.Standard with { CoupledInputForget = true, NoForgetGate = true });
        var (option, reason) = Assert.Single(options.Unsupported(1, 0.0));
        Assert.Equal(nameof(RecurrentCoreOptions.Variant), option);
        Assert.Contains("cannot be combined with NoForgetGate", reason, StringComparison.Ordinal);
    }

    private static void AssertClose(Tensor expected, Tensor actual, RecurrentCellKind cell, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        if (!actual.allclose(expected, rtol: 1e-10, atol: 1e-12))
            Assert.Fail($"{cell} {what}: max difference {(actual - expected).abs().max().item<double>()}");
    }
}
