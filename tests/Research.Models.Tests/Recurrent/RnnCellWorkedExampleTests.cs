using Research.Models.Recurrent;
using TorchSharp;

namespace Research.Models.Tests.Recurrent;

/// <summary>One step of a 2-unit, 2-input Elman cell with hand-chosen weights, tanh and relu, checked with System.Math.</summary>
public sealed class RnnCellWorkedExampleTests
{
    private static readonly double[,] Wih = { { 0.5, -0.2 }, { 0.1, 0.3 } };
    private static readonly double[,] Whh = { { 0.2, 0.1 }, { -0.4, 0.3 } };
    private static readonly double[] Bih = [0.1, -0.1];
    private static readonly double[] Bhh = [0.05, 0.0];
    private static readonly double[] X = [1.0, -2.0];
    private static readonly double[] H = [0.3, -0.6];

    [Theory]
    [InlineData(torch.nn.NonLinearities.Tanh)]
    [InlineData(torch.nn.NonLinearities.ReLU)]
    public void OneStepMatchesTheEquationComputedByHand(torch.nn.NonLinearities nonLinearity)
    {
        double Pre(int u) => (Wih[u, 0] * X[0]) + (Wih[u, 1] * X[1]) + Bih[u] + (Whh[u, 0] * H[0]) + (Whh[u, 1] * H[1]) + Bhh[u];
        // On paper: unit 0 = 0.5 + 0.4 + 0.1 + 0.06 − 0.06 + 0.05 = 1.05; unit 1 = 0.1 − 0.6 − 0.1 − 0.12 − 0.18 = −0.9.
        Assert.Equal(1.05, Pre(0), 12);
        Assert.Equal(-0.9, Pre(1), 12);
        double Phi(double v) => nonLinearity == torch.nn.NonLinearities.Tanh ? Math.Tanh(v) : Math.Max(0, v);

        var cell = new RnnCell(2, 2, nonLinearity, dtype: torch.ScalarType.Float64);
        HandWeights.Load(cell, Wih, Whh, Bih, Bhh);
        var hNext = cell.call(HandWeights.Row(X), HandWeights.Row(H));

        for (var u = 0; u < 2; u++)
            Assert.Equal(Phi(Pre(u)), hNext[0, u].item<double>(), 14);
    }
}
