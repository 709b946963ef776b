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
    [InlineData(RecurrentCellKind.Lstm, RecurrentCoreKind.Lstm, 0.2, false, "WeightDrop: not available for the LSTM cell yet")]
    [InlineData(RecurrentCellKind.Lstm, RecurrentCoreKind.Lstm, 0.0, true, "LockedDropout: with 2 layers and dropout")]
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

    private static void AssertClose(Tensor expected, Tensor actual, RecurrentCellKind cell, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        if (!actual.allclose(expected, rtol: 1e-10, atol: 1e-12))
            Assert.Fail($"{cell} {what}: max difference {(actual - expected).abs().max().item<double>()}");
    }
}
