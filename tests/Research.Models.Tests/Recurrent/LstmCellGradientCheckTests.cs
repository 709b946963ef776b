using Research.Models.Recurrent;
using Research.Models.Runtime;
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
            return (hn * probeH).sum().Plus((cn * probeC).sum()).item<double>();
        }

        var (hNext, cNext) = cell.call(x, (h, c));
        (hNext * probeH).sum().Plus((cNext * probeC).sum()).backward();

        var checkedTensors = new List<(string name, Tensor value)> { ("x", x), ("h", h), ("c", c) };
        checkedTensors.AddRange(cell.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        FiniteDifferences.AssertMatchAutograd(checkedTensors, Loss);
    }
}
