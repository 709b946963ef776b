using Research.Models.Runtime;
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
        (P, BatchFirst) = (DropoutRate.Require(p, nameof(p)), batchFirst);
    }

    public override Tensor forward(Tensor x)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        return Apply(x, P, training, BatchFirst);
    }

    /// <summary>A fresh mask for <paramref name="like"/>, as <see cref="Mask(Tensor, double, bool)"/> with this module's p.</summary>
    public Tensor Mask(Tensor like) => Mask(like, P, BatchFirst);

    /// <summary>The function behind the module, for code that holds p itself (e.g. between the layers of a stack).</summary>
    public static Tensor Apply(Tensor x, double p, bool training, bool batchFirst = false)
    {
        DropoutRate.Require(p, nameof(p));
        if (!training || p == 0)
            return x;
        if (x.dim() != 3)
            throw new ArgumentException($"LockedDropout input must be 3-D [T, B, F], got [{string.Join(", ", x.shape)}].", nameof(x));
        return x * Mask(x, p, batchFirst);
    }

    /// <summary>A fresh mask broadcastable over time: [1, B, F] (or [B, 1, F] batch-first), entries 0 or 1/(1−p).</summary>
    public static Tensor Mask(Tensor like, double p, bool batchFirst = false)
    {
        long[] shape = batchFirst ? [like.shape[0], 1, like.shape[2]] : [1, like.shape[1], like.shape[2]];
        using var keep = (1 - p).ToScalar(); // explicit and held: an implicit Scalar can be finalised mid-call
        return empty(shape, dtype: like.dtype, device: like.device).bernoulli_(1 - p).div_(keep);
    }
}
