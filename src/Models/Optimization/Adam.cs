using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// Adam (Kingma and Ba 2015) with L2 weight decay λ added to the gradient: PyTorch's Adam without amsgrad, in
/// TorchSharp 0.107's order of operations. For decoupled weight decay see <see cref="AdamW"/>.
/// <code>
///   t ← t + 1;   g ← ∇θ + λθ                     (λ ≠ 0)
///   m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
///   θ ← θ − γ / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class Adam : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1;
    private readonly double beta1, beta2, eps, weightDecay;
    private readonly Scalar b1, b2, oneMinusB1, oneMinusB2, epsilon, lambda, one;

    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, "exp_avg", "exp_avg_sq")
    {
        CheckOptions(beta1, beta2, eps, weightDecay);
        (this.beta1, this.beta2, this.eps, this.weightDecay) = (beta1, beta2, eps, weightDecay);
        (b1, b2, oneMinusB1, oneMinusB2) = (Hold(beta1), Hold(beta2), Hold(1 - beta1), Hold(1 - beta2));
        (epsilon, lambda, one) = (Hold(eps), Hold(weightDecay), Hold(1));
        for (var i = 0; i < Parameters.Count; i++)
            Slots[i] = [ZerosLike(Parameters[i]), ZerosLike(Parameters[i])];
    }

    public override IReadOnlyList<(string Name, double Value)> Hyperparameters =>
        [("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", weightDecay)];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        var (m, v) = (Slots[index][ExpAvg]!, Slots[index][ExpAvgSq]!);
        var biasCorrection1 = 1 - Math.Pow(beta1, Steps[index]);
        var biasCorrection2 = 1 - Math.Pow(beta2, Steps[index]);
        if (weightDecay != 0)
            grad = grad.add(parameter, lambda);
        m.mul_(b1).add_(grad, oneMinusB1);
        v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        using var root = Math.Sqrt(biasCorrection2).ToScalar();
        using var step = (-(LearningRate / biasCorrection1)).ToScalar();
        parameter.addcdiv_(m, v.sqrt().div_(root).add_(epsilon, one), step);
    }

    /// <summary>The ranges PyTorch (and TorchSharp) accept: β in [0, 1), ε ≥ 0, λ ≥ 0.</summary>
    internal static void CheckOptions(double beta1, double beta2, double eps, double weightDecay)
    {
        if (beta1 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
    }
}
