using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// Cross-entropy of float32 CPU logits [N, V] against class indices [N] as one autograd node, both passes in
/// <see cref="SoftmaxCrossEntropyRows{TVec}"/>: the forward keeps only each row's max and log-sum-exp [N, 2] beside the logits,
/// the backward writes softmax(z) − onehot(t), scaled, in one pass. Equal to nn.functional.cross_entropy (mean or sum)
/// within float32 rounding; <see cref="SoftmaxCrossEntropy"/> decides where it applies. First-order only.
/// </summary>
public sealed class SoftmaxCrossEntropyFunction : autograd.SingleTensorFunction<SoftmaxCrossEntropyFunction>
{
    public override string Name => nameof(SoftmaxCrossEntropyFunction);

    /// <summary>The loss, summed over rows when <paramref name="sum"/>, else their mean.</summary>
    public static Tensor Apply(Tensor logits, Tensor targets, bool sum) => apply(logits, targets, sum);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (logits, targets, sum) = ((Tensor)vars[0], (Tensor)vars[1], (bool)vars[2]);
        if (logits.dim() != 2 || targets.dim() != 1 || targets.shape[0] != logits.shape[0])
            throw new ArgumentException($"softmax cross-entropy takes logits [N, V] and targets [N], got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", targets.shape)}]", nameof(vars));
        using var scope = NewDisposeScope();
        var z = logits.contiguous();
        var t = targets.to(ScalarType.Int64).contiguous();
        CheckTargets(t, logits.shape[1]);
        var shifts = empty([z.shape[0], 2], dtype: ScalarType.Float32);
        var total = LstmStepKernel.VectorWidth == 512
            ? SoftmaxCrossEntropyRows<Vector512<float>>.Forward(z, t, shifts)
            : SoftmaxCrossEntropyRows<Vector256<float>>.Forward(z, t, shifts);
        var loss = tensor((float)(sum ? total : total / z.shape[0]));
        ctx.save_for_backward([z, t, shifts]);
        ctx.save_data("sum", sum);
        scope.MoveToOuter(z, t, shifts, loss);
        return loss;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (z, t, shifts) = (saved[0], saved[1], saved[2]);
        var g = grad_output.item<float>();
        var scale = (bool)ctx.get_data("sum") ? g : g / z.shape[0];
        var gradient = empty_like(z);
        if (LstmStepKernel.VectorWidth == 512)
            SoftmaxCrossEntropyRows<Vector512<float>>.Backward(z, t, shifts, scale, gradient);
        else
            SoftmaxCrossEntropyRows<Vector256<float>>.Backward(z, t, shifts, scale, gradient);
        return [gradient, null!, null!];
    }

    // The kernel indexes rows by target: one outside [0, V) would read past the row, so it is refused as libtorch does.
    private static void CheckTargets(Tensor targets, long classes)
    {
        ReadOnlySpan<long> span = MemoryMarshal.Cast<byte, long>(targets.bytes);
        for (var n = 0; n < span.Length; n++)
        {
            if ((ulong)span[n] >= (ulong)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), span[n], $"target {span[n]} at row {n} is out of bounds for {classes} classes");
        }
    }
}
