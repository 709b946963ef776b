using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// One step of a 2-unit, 2-input GRU cell with hand-chosen weights, the expected values derived here from PyTorch's
/// equations with System.Math only (the reset gate scales W_hn h + b_hn, not h).
/// </summary>
public sealed class GruCellWorkedExampleTests
{
    // Rows: gate-major [r0, r1, z0, z1, n0, n1]; columns: the two inputs (W_ih) or the two units (W_hh).
    private static readonly double[,] Wih =
    {
        { 0.5, -0.2 }, { 0.1, 0.3 },    // reset gate
        { 0.4, 0.0 }, { -0.3, 0.2 },    // update gate
        { 0.7, -0.5 }, { 0.2, 0.6 },    // candidate n
    };

    private static readonly double[,] Whh =
    {
        { 0.2, 0.1 }, { -0.4, 0.3 },
        { 0.6, -0.2 }, { 0.1, 0.5 },
        { -0.3, 0.4 }, { 0.2, -0.1 },
    };

    private static readonly double[] Bih = [0.1, -0.1, 1.0, 0.5, 0.0, 0.2];
    private static readonly double[] Bhh = [0.05, 0.0, 0.2, -0.1, 0.3, -0.2];
    private static readonly double[] X = [1.0, -2.0];
    private static readonly double[] H = [0.3, -0.6];

    [Fact]
    public void OneStepMatchesTheEquationsComputedByHand()
    {
        double In(int row) => (Wih[row, 0] * X[0]) + (Wih[row, 1] * X[1]) + Bih[row];
        double Hid(int row) => (Whh[row, 0] * H[0]) + (Whh[row, 1] * H[1]) + Bhh[row];
        static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

        var expected = new double[2];
        for (var u = 0; u < 2; u++)
        {
            var r = Sigmoid(In(0 + u) + Hid(0 + u));
            var z = Sigmoid(In(2 + u) + Hid(2 + u));
            var n = Math.Tanh(In(4 + u) + (r * Hid(4 + u)));
            expected[u] = ((1 - z) * n) + (z * H[u]);
        }
        // Spot-check on paper: unit 0's candidate, hidden part W_hn h + b_hn = −0.3·0.3 + 0.4·(−0.6) + 0.3.
        Assert.Equal(-0.03, Hid(4), 12);

        var cell = new GruCell(2, 2, dtype: ScalarType.Float64);
        HandWeights.Load(cell, Wih, Whh, Bih, Bhh);
        var hNext = cell.call(HandWeights.Row(X), HandWeights.Row(H));

        for (var u = 0; u < 2; u++)
            Assert.Equal(expected[u], hNext[0, u].item<double>(), 14);
    }
}
