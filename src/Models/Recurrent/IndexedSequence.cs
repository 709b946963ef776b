using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A recurrent stack's input given as the distinct rows it is made of and, per position, which one:
/// <code>
///   Rows  [U, in]            each distinct input vector once (a language model: the embeddings of a batch's distinct tokens)
///   Index [T, B] int64       in the stack's layout ([B, T] batch-first, [T] unbatched): input[t, b] = Rows[Index[t, b]]
/// </code>
/// Where a stack runs as one LSTM node it computes its first layer's input product once per distinct row
/// (<see cref="LstmLayerFunction{TSelf}"/>): 233 rows instead of 400 in a PTB batch of 20 × 20 tokens. Everywhere else it
/// runs <see cref="Expand"/>, the same input.
/// </summary>
public sealed record IndexedSequence(Tensor Rows, Tensor Index)
{
    /// <summary>The tokens' embeddings as distinct rows: <paramref name="embed"/> runs on each distinct token once.</summary>
    public static IndexedSequence OfTokens(Tensor tokens, Func<Tensor, Tensor> embed)
    {
        var (distinct, index, _) = unique(tokens, sorted: true, return_inverse: true);
        return new IndexedSequence(embed(distinct), index!);
    }

    /// <summary>The input written out, [T, B, in] (or as <see cref="Index"/> is laid out): Rows[Index].</summary>
    public Tensor Expand() => Rows.index_select(0, Index.flatten()).view([.. Index.shape, Rows.shape[1]]);
}
