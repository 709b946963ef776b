using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Regularisation;

/// <summary>
/// AWD-LSTM's embedded_dropout (Merity et al. 2018; Gal &amp; Ghahramani 2016): drops whole rows (words) of the
/// embedding matrix, scaling the kept rows by 1/(1−p), so every occurrence of a word in the batch is dropped or kept
/// together. Identity in eval: a plain lookup.
/// </summary>
public static class EmbeddingDropout
{
    /// <summary>Looks <paramref name="indices"/> (any shape) up in <paramref name="weight"/> [V, D]; returns [..indices, D].</summary>
    public static Tensor Apply(Tensor weight, Tensor indices, double p, bool training)
    {
        DropoutRate.Require(p, nameof(p));
        var used = training && p > 0 ? weight * RowMask(weight, p) : weight;
        long[] shape = [.. indices.shape, weight.shape[1]];
        return used.index_select(0, indices.reshape(-1)).reshape(shape);
    }

    /// <summary>A fresh mask [V, 1]: one draw per word, entries 0 or 1/(1−p).</summary>
    public static Tensor RowMask(Tensor weight, double p)
    {
        using var keep = (1 - p).ToScalar(); // explicit and held: an implicit Scalar can be finalised mid-call
        return empty([weight.shape[0], 1], dtype: weight.dtype, device: weight.device).bernoulli_(1 - p).div_(keep);
    }
}
