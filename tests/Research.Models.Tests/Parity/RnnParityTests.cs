using Research.Models.Parity;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Parity;

/// <summary>
/// The explicit Rnn against nn.RNN (tanh and relu) over random shapes: output, h_n and the gradients of the input, h0
/// and every parameter agree to 1e-10 relative in float64 and 1e-5 in float32, with weights copied both ways.
/// </summary>
public sealed class RnnParityTests
{
    public static TheoryData<int, int, bool, bool, string> Cases() => ParityCases.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNnRnnWithWeightsCopiedBothWays(int seq, int batch, bool batchFirst, bool withState, string dtype)
    {
        foreach (var nonLinearity in new[] { nn.NonLinearities.Tanh, nn.NonLinearities.ReLU })
        {
            var c = ParityCases.Draw(seq, batch, batchFirst, withState, dtype, salt: 2 + (int)nonLinearity);
            var rnn = RecurrentStack.Rnn(c.Input, c.Hidden, c.Layers, nonLinearity, batchFirst: batchFirst, dtype: c.Dtype);
            ParityCases.AssertBothWays(rnn, () => SingleStateParity.ReferenceFor(rnn, CPU, c.Dtype),
                (ours, reference) => SingleStateParity.Compare(ours, reference, c.X, c.H0), $"{nonLinearity}, {c}");
        }
    }

    [Fact]
    public void WithoutBiasStillMatches()
    {
        manual_seed(5);
        var rnn = RecurrentStack.Rnn(4, 6, 2, nn.NonLinearities.ReLU, bias: false, dtype: ScalarType.Float64);
        var x = randn([9, 3, 4], dtype: ScalarType.Float64);
        ParityCases.AssertBothWays(rnn, () => SingleStateParity.ReferenceFor(rnn, CPU, ScalarType.Float64),
            (ours, reference) => SingleStateParity.Compare(ours, reference, x, null), "no bias");
    }

    [Fact]
    public void StateDictNamesAndShapesAreNnRnns()
    {
        Assert.Equal(GruParityTests.Shapes(nn.RNN(7, 5, numLayers: 3)), GruParityTests.Shapes(RecurrentStack.Rnn(7, 5, numLayers: 3)));
        Assert.Equal(GruParityTests.Shapes(nn.RNN(7, 5, numLayers: 2, bias: false)), GruParityTests.Shapes(RecurrentStack.Rnn(7, 5, numLayers: 2, bias: false)));
        Assert.Equal(GruParityTests.Shapes(nn.RNNCell(3, 5)), GruParityTests.Shapes(new RnnCell(3, 5)));
    }
}
