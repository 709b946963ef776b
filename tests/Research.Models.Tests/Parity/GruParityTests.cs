using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Parity;

/// <summary>
/// The explicit Gru against nn.GRU over random shapes: output, h_n and the gradients of the input, h0 and every
/// parameter agree to 1e-10 relative in float64 and 1e-5 in float32, with weights copied both ways.
/// </summary>
public sealed class GruParityTests
{
    public static TheoryData<int, int, bool, bool, string> Cases() => ParityCases.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNnGruWithWeightsCopiedBothWays(int seq, int batch, bool batchFirst, bool withState, string dtype)
    {
        var c = ParityCases.Draw(seq, batch, batchFirst, withState, dtype, salt: 1);
        var gru = RecurrentStack.Gru(c.Input, c.Hidden, c.Layers, batchFirst: batchFirst, dtype: c.Dtype);
        ParityCases.AssertBothWays(gru, () => SingleStateParity.ReferenceFor(gru, CPU, c.Dtype),
            (ours, reference) => SingleStateParity.Compare(ours, reference, c.X, c.H0), c.ToString());
    }

    [Fact]
    public void WithoutBiasStillMatches()
    {
        manual_seed(5);
        var gru = RecurrentStack.Gru(4, 6, 2, bias: false, dtype: ScalarType.Float64);
        var x = randn([9, 3, 4], dtype: ScalarType.Float64);
        ParityCases.AssertBothWays(gru, () => SingleStateParity.ReferenceFor(gru, CPU, ScalarType.Float64),
            (ours, reference) => SingleStateParity.Compare(ours, reference, x, null), "no bias");
    }

    [Fact]
    public void StateDictNamesAndShapesAreNnGrus()
    {
        Assert.Equal(Shapes(nn.GRU(7, 5, numLayers: 3)), Shapes(RecurrentStack.Gru(7, 5, numLayers: 3)));
        Assert.Equal(Shapes(nn.GRU(7, 5, numLayers: 2, bias: false)), Shapes(RecurrentStack.Gru(7, 5, numLayers: 2, bias: false)));
        Assert.Equal(Shapes(nn.GRUCell(3, 5)), Shapes(new GruCell(3, 5)));
        Assert.Equal(Shapes(nn.GRUCell(3, 5, bias: false)), Shapes(new GruCell(3, 5, bias: false)));
    }

    internal static IEnumerable<(string, string)> Shapes(nn.Module module)
        => module.state_dict().Select(kv => (kv.Key, string.Join("x", kv.Value.shape))).ToList();
}
