using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Autograd through LstmCell against central finite differences, in float64.</summary>
public sealed class LstmCellGradientCheckTests
{
    [Fact]
    public void AutogradMatchesCentralDifferencesForInputsStateAndParameters()
    {
        manual_seed(11);
        var cell = new LstmCell(3, 4, dtype: ScalarType.Float64);
        var x = randn([2, 3], dtype: ScalarType.Float64).requires_grad_();
        var h = randn([2, 4], dtype: ScalarType.Float64).requires_grad_();
        var c = randn([2, 4], dtype: ScalarType.Float64).requires_grad_();
        var probeH = randn([2, 4], dtype: ScalarType.Float64);
        var probeC = randn([2, 4], dtype: ScalarType.Float64);

        // A scalar that depends on both outputs, so every gate's derivative is exercised.
        double Loss()
        {
            using var noGrad = no_grad();
            var (hn, cn) = cell.call(x, (h, c));
            return ((hn * probeH).sum() + (cn * probeC).sum()).item<double>();
        }

        var (hNext, cNext) = cell.call(x, (h, c));
        ((hNext * probeH).sum() + (cNext * probeC).sum()).backward();

        var checkedTensors = new List<(string name, Tensor value)> { ("x", x), ("h", h), ("c", c) };
        checkedTensors.AddRange(cell.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        const double eps = 1e-6;
        foreach (var (name, value) in checkedTensors)
        {
            var grad = value.grad!.clone();
            var flat = value.detach().view(-1); // shares storage with value
            for (long k = 0; k < flat.shape[0]; k++)
            {
                var original = flat[k].item<double>();
                flat[k] = original + eps;
                var plus = Loss();
                flat[k] = original - eps;
                var minus = Loss();
                flat[k] = original;
                var numeric = (plus - minus) / (2 * eps);
                var analytic = grad.view(-1)[k].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= 1e-7 * Math.Max(1, Math.Abs(numeric)),
                    $"{name}[{k}]: autograd {analytic}, finite difference {numeric}");
            }
        }
    }
}
