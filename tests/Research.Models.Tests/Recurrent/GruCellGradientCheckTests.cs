using Research.Models.Recurrent;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Autograd through GruCell against central finite differences, in float64.</summary>
public sealed class GruCellGradientCheckTests
{
    [Fact]
    public void AutogradMatchesCentralDifferencesForInputStateAndParameters()
    {
        manual_seed(12);
        var cell = new GruCell(3, 4, dtype: ScalarType.Float64);
        var x = randn([2, 3], dtype: ScalarType.Float64).requires_grad_();
        var h = randn([2, 4], dtype: ScalarType.Float64).requires_grad_();
        var probe = randn([2, 4], dtype: ScalarType.Float64);

        double Loss()
        {
            using var noGrad = no_grad();
            return (cell.call(x, h) * probe).sum().item<double>();
        }

        (cell.call(x, h) * probe).sum().backward();

        var checkedTensors = new List<(string name, Tensor value)> { ("x", x), ("h", h) };
        checkedTensors.AddRange(cell.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        Assert.Equal(6, checkedTensors.Count);
        FiniteDifferences.AssertMatchAutograd(checkedTensors, Loss);
    }
}
