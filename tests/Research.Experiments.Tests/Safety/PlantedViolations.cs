using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Safety;

/// <summary>Code that the audit must flag (and one method it must pass), compiled into the test assembly on purpose.</summary>
internal static class PlantedViolations
{
    public static Tensor ImplicitLiteral(Tensor x) => x * 0.5;

    public static Tensor HiddenAlpha(Tensor a, Tensor b) => a.add(b);

    public static Tensor OperatorPlus(Tensor a, Tensor b) => a + b;

    public static Tensor UndisposedToScalar(Tensor x) => x.mul(0.5.ToScalar());

    public static IDisposable TorchSharpsAdam(IEnumerable<TorchSharp.Modules.Parameter> parameters) => optim.Adam(parameters);

    public static Tensor Clean(Tensor a, Tensor b)
    {
        using var half = 0.5.ToScalar();
        using var one = 1.ToScalar();
        return a.mul(half).add(b, one);
    }
}
