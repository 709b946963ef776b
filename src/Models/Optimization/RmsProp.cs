using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// RMSprop (Hinton's lecture 6e; centered: Graves 2013) with smoothing α, momentum μ and weight decay λ: PyTorch's
/// RMSprop, in TorchSharp 0.107's order of operations; with epsInsideSqrt, Keras 3's placement of ε.
/// <code>
///   g ← ∇θ + λθ                                                (λ ≠ 0)
///   v ← αv + (1 − α)g²
///   centered: ḡ ← αḡ + (1 − α)g,  d ← √(v − ḡ²) + ε;   else d ← √v + ε
///   epsInsideSqrt (Keras): centered d ← √(v − ḡ² + ε);  else d ← √(v + ε)
///   μ > 0: b ← μb + g / d,  θ ← θ − γb;                 else θ ← θ − γ g / d
/// </code>
/// Keras's momentum buffer holds γ g / d instead of g / d: the same steps while γ is constant.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private const int SquareAvg = 0, GradAvg = 1, Buffer = 2;
    private readonly double alpha, eps, momentum, weightDecay;
    private readonly bool centered, epsInsideSqrt;
    private readonly Scalar a, oneMinusA, epsilon, mu, lambda, one, minusOne;

    /// <param name="epsInsideSqrt">Divide by √(v + ε) as Keras 3 does (its ε default is 1e-7), not by √v + ε as PyTorch.</param>
    public RmsProp(IEnumerable<Parameter> parameters, double learningRate = 1e-2, double alpha = 0.99, double eps = 1e-8, double momentum = 0,
        bool centered = false, double weightDecay = 0, bool epsInsideSqrt = false)
        : base(parameters, learningRate, "square_avg", "grad_avg", "momentum_buffer")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        (this.alpha, this.eps, this.momentum, this.centered, this.weightDecay, this.epsInsideSqrt) = (alpha, eps, momentum, centered, weightDecay, epsInsideSqrt);
        (a, oneMinusA, epsilon, mu, lambda) = (Hold(alpha), Hold(1 - alpha), Hold(eps), Hold(momentum), Hold(weightDecay));
        (one, minusOne) = (Hold(1), Hold(-1));
        for (var i = 0; i < Parameters.Count; i++)
            Slots[i] = [ZerosLike(Parameters[i]), centered ? ZerosLike(Parameters[i]) : null, momentum > 0 ? ZerosLike(Parameters[i]) : null];
    }

    public override IReadOnlyList<(string Name, double Value)> Hyperparameters =>
        [("alpha", alpha), ("eps", eps), ("momentum", momentum), ("centered", centered ? 1 : 0), ("weight_decay", weightDecay), ("eps_inside_sqrt", epsInsideSqrt ? 1 : 0)];

    // States saved before eps_inside_sqrt existed ran with ε outside the root.
    protected override IReadOnlyList<(string Name, double Value)> HyperparametersOfOlderStates => [("eps_inside_sqrt", 0)];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (weightDecay != 0)
            grad = grad.add(parameter, lambda);
        var squareAvg = Slots[index][SquareAvg]!;
        squareAvg.mul_(a).addcmul_(grad, grad, oneMinusA);
        Tensor denominator;
        if (centered)
        {
            var gradAvg = Slots[index][GradAvg]!;
            gradAvg.mul_(a).add_(grad, oneMinusA);
            var variance = squareAvg.addcmul(gradAvg, gradAvg, minusOne);
            denominator = epsInsideSqrt ? variance.add_(epsilon, one).sqrt_() : variance.sqrt_().add_(epsilon, one);
        }
        else
        {
            denominator = epsInsideSqrt ? squareAvg.add(epsilon, one).sqrt_() : squareAvg.sqrt().add_(epsilon, one);
        }
        using var step = (-LearningRate).ToScalar();
        if (momentum > 0)
        {
            var buffer = Slots[index][Buffer]!;
            buffer.mul_(mu).addcdiv_(grad, denominator, one);
            parameter.add_(buffer, step);
        }
        else
        {
            parameter.addcdiv_(grad, denominator, step);
        }
    }
}
