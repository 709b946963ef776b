using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Language;

/// <summary>
/// The language models' loss: cross-entropy of logits [N, V] against class indices [N], as
/// nn.functional.cross_entropy computes it. Where <see cref="AppliesTo"/> (float32 on a CPU that runs the step kernel)
/// and <c>fused</c>, it is <see cref="SoftmaxCrossEntropyFunction"/>, which moves about half the memory libtorch's
/// log-softmax + NLL pair does; elsewhere, and for <see cref="nn.Reduction.None"/>, it is libtorch's.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Whether the fused kernel computes the loss of <paramref name="logits"/>.</summary>
    public static bool AppliesTo(Tensor logits) => LstmStepKernel.AppliesTo(logits) && logits.dim() == 2;

    /// <summary>The mean (or summed, or per-row) loss; <paramref name="fused"/> false always takes libtorch's.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean, bool fused = true) =>
        fused && reduction != nn.Reduction.None && AppliesTo(logits)
            ? SoftmaxCrossEntropyFunction.Apply(logits, targets, reduction == nn.Reduction.Sum)
            : nn.functional.cross_entropy(logits, targets, reduction: reduction);
}
