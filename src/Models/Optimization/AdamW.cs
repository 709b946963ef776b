using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019): Adam with weight decay λ decoupled from the gradient: PyTorch's AdamW without
/// amsgrad, in TorchSharp 0.107's order of operations (and its default λ = 0, where PyTorch's is 0.01).
/// <code>
///   t ← t + 1;   θ ← θ(1 − γλ)
///   then the moments and the step of <see cref="AdamMoments"/>
/// </code>
/// </summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 0) : AdamMoments(parameters, learningRate, beta1, beta2, eps, weightDecay)
{
    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (WeightDecay != 0) // TorchSharp multiplies by 1 − γ·0 = 1 too: exact, so skipping it changes no bit
        {
            using var decay = (1 - (LearningRate * WeightDecay)).ToScalar();
            parameter.mul_(decay);
        }
        MomentStep(index, parameter, grad);
    }
}
