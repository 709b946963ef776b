using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// Stochastic gradient descent with momentum μ, dampening τ, Nesterov momentum and weight decay λ: PyTorch's SGD,
/// in TorchSharp 0.107's order of operations.
/// <code>
///   g ← ∇θ + λθ                                   (λ ≠ 0)
///   b ← g on the first step, then b ← μb + (1 − τ)g   (μ ≠ 0)
///   g ← g + μb (Nesterov), else g ← b              (μ ≠ 0)
///   θ ← θ − γg
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    private const int Buffer = 0;
    private readonly double momentum, dampening, weightDecay;
    private readonly bool nesterov;
    private readonly Scalar mu, undamped, lambda;

    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate, "momentum_buffer")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and dampening 0", nameof(nesterov));
        (this.momentum, this.dampening, this.weightDecay, this.nesterov) = (momentum, dampening, weightDecay, nesterov);
        (mu, undamped, lambda) = (Hold(momentum), Hold(1 - dampening), Hold(weightDecay));
    }

    public override IReadOnlyList<(string Name, double Value)> Hyperparameters =>
        [("momentum", momentum), ("dampening", dampening), ("weight_decay", weightDecay), ("nesterov", nesterov ? 1 : 0)];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (weightDecay != 0)
            grad = grad.add(parameter, lambda);
        if (momentum != 0)
        {
            var buffer = Slots[index][Buffer];
            if (buffer is null)
                Slots[index][Buffer] = buffer = grad.clone().detach().DetachFromDisposeScope();
            else
                buffer.mul_(mu).add_(grad, undamped);
            grad = nesterov ? grad.add(buffer, mu) : buffer;
        }
        using var step = (-LearningRate).ToScalar();
        parameter.add_(grad, step);
    }

    // Plain SGD: θ ← θ − γ·(scale·g) in one pass (ScaledSgdUpdate); with momentum or weight decay the scaled gradient
    // feeds more than one term, so it is scaled first.
    // The scale is read only here, where the update runs on the CPU: elsewhere (CUDA) reading it would wait for the device.
    protected override bool UpdateScaled(int index, Parameter parameter, Tensor grad, Tensor scale)
    {
        if (momentum != 0 || weightDecay != 0 || !ScaledSgdUpdate.AppliesTo(parameter, grad))
            return false;
        ScaledSgdUpdate.Apply(parameter, grad, scale.to(ScalarType.Float32).item<float>(), (float)-LearningRate);
        return true;
    }
}
