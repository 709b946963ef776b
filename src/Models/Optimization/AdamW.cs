using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019): Adam with weight decay λ decoupled from the gradient: PyTorch's AdamW without
/// amsgrad, in TorchSharp 0.107's order of operations (and its default λ = 0, where PyTorch's is 0.01).
/// <code>
///   t ← t + 1;   θ ← θ(1 − γλ)
///   m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
///   θ ← θ − γ / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class AdamW : Optimizer
{
    private const int ExpAvg = 0, ExpAvgSq = 1;
    private readonly double beta1, beta2, eps, weightDecay;
    private readonly Scalar b1, b2, oneMinusB1, oneMinusB2, epsilon, one;

    public AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, "exp_avg", "exp_avg_sq")
    {
        Adam.CheckOptions(beta1, beta2, eps, weightDecay);
        (this.beta1, this.beta2, this.eps, this.weightDecay) = (beta1, beta2, eps, weightDecay);
        (b1, b2, oneMinusB1, oneMinusB2) = (Hold(beta1), Hold(beta2), Hold(1 - beta1), Hold(1 - beta2));
        (epsilon, one) = (Hold(eps), Hold(1));
        for (var i = 0; i < Parameters.Count; i++)
            Slots[i] = [ZerosLike(Parameters[i]), ZerosLike(Parameters[i])];
    }

    public override IReadOnlyList<(string Name, double Value)> Hyperparameters =>
        [("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", weightDecay)];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        var (m, v) = (Slots[index][ExpAvg]!, Slots[index][ExpAvgSq]!);
        if (weightDecay != 0) // TorchSharp multiplies by 1 − γ·0 = 1 too: exact, so skipping it changes no bit
        {
            using var decay = (1 - (LearningRate * weightDecay)).ToScalar();
            parameter.mul_(decay);
        }
        var biasCorrection1 = 1 - Math.Pow(beta1, Steps[index]);
        var biasCorrection2 = 1 - Math.Pow(beta2, Steps[index]);
        m.mul_(b1).add_(grad, oneMinusB1);
        v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
        using var root = Math.Sqrt(biasCorrection2).ToScalar();
        using var step = (-(LearningRate / biasCorrection1)).ToScalar();
        parameter.addcdiv_(m, v.sqrt().div_(root).add_(epsilon, one), step);
    }
}
