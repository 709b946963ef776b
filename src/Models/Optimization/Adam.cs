using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// Adam (Kingma and Ba 2015) with L2 weight decay λ added to the gradient: PyTorch's Adam without amsgrad, in
/// TorchSharp 0.107's order of operations. For decoupled weight decay see <see cref="AdamW"/>.
/// <code>
///   t ← t + 1;   g ← ∇θ + λθ                     (λ ≠ 0)
///   then the moments and the step of <see cref="AdamMoments"/>
/// </code>
/// </summary>
public sealed class Adam : AdamMoments
{
    private readonly Scalar lambda;

    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay) => lambda = Hold(weightDecay);

    protected override void Update(int index, Parameter parameter, Tensor grad) =>
        MomentStep(index, parameter, WeightDecay != 0 ? grad.add(parameter, lambda) : grad);
}
