using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Regularisation;

/// <summary>
/// Variational ("locked") dropout (Gal &amp; Ghahramani 2016; AWD-LSTM's LockedDropout): one mask per sequence, shared
/// by every time step. Input [T, B, F] (or [B, T, F] with batchFirst); mask [1, B, F] of 0 and 1/(1−p). Identity in eval.
/// </summary>
public sealed class LockedDropout : nn.Module<Tensor, Tensor>
{
    public readonly double P;
    public readonly bool BatchFirst;

    public LockedDropout(double p, bool batchFirst = false)
        : base(nameof(LockedDropout))
    {
        if (p is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, "LockedDropout probability must be in [0, 1).");
        (P, BatchFirst) = (p, batchFirst);
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || P == 0)
            return x;
        if (x.dim() != 3)
            throw new ArgumentException($"LockedDropout input must be 3-D [T, B, F], got [{string.Join(", ", x.shape)}].", nameof(x));
        return x * Mask(x);
    }

    /// <summary>A fresh mask broadcastable over time: [1, B, F] (or [B, 1, F] batch-first), entries 0 or 1/(1−p).</summary>
    public Tensor Mask(Tensor like)
    {
        long[] shape = BatchFirst ? [like.shape[0], 1, like.shape[2]] : [1, like.shape[1], like.shape[2]];
        return empty(shape, dtype: like.dtype, device: like.device).bernoulli_(1 - P).div_(1 - P);
    }
}
