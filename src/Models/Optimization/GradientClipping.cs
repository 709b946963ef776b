using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Optimization;

/// <summary>
/// Gradient clipping in place: libtorch's <c>torch::nn::utils::clip_grad_norm_</c> (behind TorchSharp's
/// nn.utils.clip_grad_norm_) and <c>clip_grad_value_</c>, op for op, with explicit Scalars.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the 2-norm of all gradients together (the norm of
    /// the per-parameter norms); returns ‖g‖ before clipping, 0 when no parameter has a gradient.
    /// </summary>
    public static double ClipNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        var (norm, coefficient) = NormCoefficient(grads, maxNorm);
        foreach (var grad in grads)
            grad.mul_(coefficient!);
        return norm;
    }

    /// <summary>
    /// <see cref="ClipNorm"/> without the scaling: ‖g‖ and the 0-dim coefficient min(1, max_norm / (‖g‖ + 1e-6)), in
    /// the caller's dispose scope, for <see cref="Optimizer.Step(Tensor?)"/> to apply; (0, null) without gradients.
    /// </summary>
    public static (double Norm, Tensor? Coefficient) NormCoefficient(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var noGrad = no_grad();
        return NormCoefficient(parameters.Select(p => p.grad).OfType<Tensor>().ToList(), maxNorm);
    }

    private static (double Norm, Tensor? Coefficient) NormCoefficient(List<Tensor> grads, double maxNorm)
    {
        if (grads.Count == 0)
            return (0, null);
        using var scope = NewDisposeScope();
        var norms = grads.Select(g => g.norm(2.0f)).ToList(); // 2.0f: norm(2) would bind to norm(int dim)
        var total = norms.Count == 1 ? norms[0] : stack(norms).norm(2.0f); // libtorch takes one norm as it is, unstacked
        using var max = maxNorm.ToScalar();
        using var epsilon = 1e-6.ToScalar();
        using var one = 1.0.ToScalar();
        // libtorch's max_norm / (total + 1e-6) is empty_like(·).fill_(max_norm).div_(·); clamp(max: 1) the same as clamp_max.
        var shifted = total.add(epsilon, one);
        var coefficient = empty_like(shifted).fill_(max).div_(shifted).clamp_max_(one);
        return (total.ReadDouble(), coefficient.MoveToOuterDisposeScope());
    }

    /// <summary>Clamps every gradient element to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>].</summary>
    public static void ClipValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var low = (-clipValue).ToScalar();
        using var high = clipValue.ToScalar();
        foreach (var parameter in parameters)
            parameter.grad?.clamp_(low, high);
    }
}
