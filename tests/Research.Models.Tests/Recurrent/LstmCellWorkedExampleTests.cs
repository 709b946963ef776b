using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// One step of a 2-unit, 2-input cell with hand-chosen weights. The expected values are derived here from the
/// equations with System.Math only, so the test does not trust TorchSharp to check TorchSharp.
/// </summary>
public sealed class LstmCellWorkedExampleTests
{
    // Rows: gate-major [i0, i1, f0, f1, g0, g1, o0, o1]; columns: the two inputs (W_ih) or the two units (W_hh).
    private static readonly double[,] Wih =
    {
        { 0.5, -0.2 }, { 0.1, 0.3 },    // input gate
        { 0.4, 0.0 }, { -0.3, 0.2 },    // forget gate
        { 0.7, -0.5 }, { 0.2, 0.6 },    // candidate g
        { -0.1, 0.8 }, { 0.3, -0.4 },   // output gate
    };

    private static readonly double[,] Whh =
    {
        { 0.2, 0.1 }, { -0.4, 0.3 },
        { 0.6, -0.2 }, { 0.1, 0.5 },
        { -0.3, 0.4 }, { 0.2, -0.1 },
        { 0.5, 0.2 }, { -0.2, 0.7 },
    };

    private static readonly double[] Bih = [0.1, -0.1, 1.0, 0.5, 0.0, 0.2, -0.3, 0.1];
    private static readonly double[] Bhh = [0.05, 0.0, 0.2, -0.1, 0.1, 0.0, 0.0, 0.2];
    private static readonly double[] X = [1.0, -2.0];
    private static readonly double[] H = [0.3, -0.6];
    private static readonly double[] C = [0.8, -0.4];

    [Fact]
    public void OneStepMatchesTheEquationsComputedByHand()
    {
        // By hand: z_row = Σ_j W_ih[row, j] x_j + b_ih[row] + Σ_j W_hh[row, j] h_j + b_hh[row].
        double Z(int row) => (Wih[row, 0] * X[0]) + (Wih[row, 1] * X[1]) + Bih[row]
            + (Whh[row, 0] * H[0]) + (Whh[row, 1] * H[1]) + Bhh[row];
        static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

        var expectedH = new double[2];
        var expectedC = new double[2];
        for (var u = 0; u < 2; u++)
        {
            var i = Sigmoid(Z(0 + u));
            var f = Sigmoid(Z(2 + u));
            var g = Math.Tanh(Z(4 + u));
            var o = Sigmoid(Z(6 + u));
            expectedC[u] = (f * C[u]) + (i * g);
            expectedH[u] = o * Math.Tanh(expectedC[u]);
        }
        // Spot-check one value against arithmetic done on paper: unit 0's input-gate pre-activation.
        Assert.Equal((0.5 * 1.0) + (-0.2 * -2.0) + 0.1 + (0.2 * 0.3) + (0.1 * -0.6) + 0.05, Z(0), 12);

        var cell = new LstmCell(2, 2, dtype: ScalarType.Float64);
        using (no_grad())
        {
            cell.get_parameter("weight_ih")!.copy_(tensor(Wih, dtype: ScalarType.Float64));
            cell.get_parameter("weight_hh")!.copy_(tensor(Whh, dtype: ScalarType.Float64));
            cell.get_parameter("bias_ih")!.copy_(tensor(Bih, dtype: ScalarType.Float64));
            cell.get_parameter("bias_hh")!.copy_(tensor(Bhh, dtype: ScalarType.Float64));
        }
        var x = tensor(X, dtype: ScalarType.Float64).reshape(1, 2);
        var h = tensor(H, dtype: ScalarType.Float64).reshape(1, 2);
        var c = tensor(C, dtype: ScalarType.Float64).reshape(1, 2);
        var (hNext, cNext) = cell.call(x, (h, c));

        for (var u = 0; u < 2; u++)
        {
            Assert.Equal(expectedH[u], hNext[0, u].item<double>(), 14);
            Assert.Equal(expectedC[u], cNext[0, u].item<double>(), 14);
        }
    }

    [Fact]
    public void ParameterNamesAndShapesAreThoseOfNnLstmCell()
    {
        var cell = new LstmCell(3, 5);
        var shapes = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], shapes.Keys);
        Assert.Equal([20L, 3L], shapes["weight_ih"]);
        Assert.Equal([20L, 5L], shapes["weight_hh"]);
        Assert.Equal([20L], shapes["bias_ih"]);
        var reference = nn.LSTMCell(3, 5);
        Assert.Equal(reference.named_parameters().Select(p => (p.name, p.parameter.shape)), cell.named_parameters().Select(p => (p.name, p.parameter.shape)));
    }

    [Fact]
    public void DefaultInitialisationIsUniformWithinOneOverSqrtHidden()
    {
        torch.manual_seed(3);
        var cell = new LstmCell(4, 25);
        var bound = 1.0 / Math.Sqrt(25);
        foreach (var (name, p) in cell.named_parameters())
        {
            Assert.True(p.abs().max().item<float>() <= bound, name);
            Assert.True(p.abs().max().item<float>() > 0.9 * bound, name); // spread over the whole interval
        }
    }
}
