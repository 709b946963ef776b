using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: the options, the two moment estimates and the bias-corrected
/// step. They differ only in where the weight decay λ acts (on the gradient, or on the weights).
/// <code>
///   m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
///   θ ← θ − γ / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public abstract class AdamMoments : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1;
    private readonly double beta1, beta2, eps;
    private readonly Scalar b1, b2, oneMinusB1, oneMinusB2, epsilon, one;

    protected AdamMoments(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, learningRate, "exp_avg", "exp_avg_sq")
    {
        if (beta1 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        (this.beta1, this.beta2, this.eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        (b1, b2, oneMinusB1, oneMinusB2) = (Hold(beta1), Hold(beta2), Hold(1 - beta1), Hold(1 - beta2));
        (epsilon, one) = (Hold(eps), Hold(1));
        for (var i = 0; i < Parameters.Count; i++)
            Slots[i] = [ZerosLike(Parameters[i]), ZerosLike(Parameters[i])];
    }

    /// <summary>λ, the weight decay.</summary>
    protected double WeightDecay { get; }

    public override IReadOnlyList<(string Name, double Value)> Hyperparameters =>
        [("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", WeightDecay)];

    /// <summary>Updates the moments of parameter <paramref name="index"/> from <paramref name="grad"/> and steps the parameter.</summary>
    protected void MomentStep(int index, Parameter parameter, Tensor grad)
    {
        var (m, v) = (Slots[index][ExpAvg]!, Slots[index][ExpAvgSq]!);
        var biasCorrection1 = 1 - Math.Pow(beta1, Steps[index]);
        var biasCorrection2 = 1 - Math.Pow(beta2, Steps[index]);
        m.mul_(b1).add_(grad, oneMinusB1);
        v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        using var root = Math.Sqrt(biasCorrection2).ToScalar();
        using var step = (-(LearningRate / biasCorrection1)).ToScalar();
        parameter.addcdiv_(m, v.sqrt().div_(root).add_(epsilon, one), step);
    }
}
