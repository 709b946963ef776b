using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Batching;

/// <summary>
/// Keras lstm_text_generation's training set: for i = 0, step, 2·step, … while i &lt; n − maxlen, the window
/// text[i : i + maxlen] is an input and text[i + maxlen] its next-character target
/// (<c>for i in range(0, len(text) - maxlen, step)</c>). Kept as indices: <see cref="Inputs"/> [count, maxlen] and
/// <see cref="Targets"/> [count], int64, both views of one stream tensor. The one-hot array Keras builds up front
/// ([count, maxlen, symbols] bools: about 1 GB for Tiny Shakespeare at maxlen 40, step 3) is made per batch by
/// <see cref="OneHotBatches"/> instead. Keras one-hot encodes the target too, for categorical
/// cross-entropy; an index target with cross-entropy gives the same loss.
/// </summary>
public sealed class TextWindows
{
    private readonly Tensor _stream;

    public TextWindows(ReadOnlySpan<int> stream, int maxLength, int step, int symbolCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCount);
        if (stream.Length <= maxLength)
            throw new ArgumentException($"a stream of {stream.Length} symbols has no window of {maxLength} plus a target", nameof(stream));
        var count = (stream.Length - maxLength + step - 1) / step;
        var ids = new long[stream.Length];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = stream[i];
        (MaxLength, Step, SymbolCount, Count) = (maxLength, step, symbolCount, count);
        // The narrow view is a temporary the finaliser could free while unfold reads it: a scope holds it, then frees it.
        using var scope = torch.NewDisposeScope();
        _stream = torch.tensor(ids, ScalarType.Int64);
        // Views, no copies: window k is stream[k·step, k·step + maxLength), its target stream[k·step + maxLength].
        Inputs = _stream.narrow(0, 0, stream.Length - 1).unfold(0, maxLength, step);
        Targets = _stream.slice(0, maxLength, stream.Length, step);
        scope.MoveToOuter(_stream, Inputs, Targets);
    }

    public int MaxLength { get; }
    public int Step { get; }
    public int SymbolCount { get; }
    public int Count { get; }

    /// <summary>[Count, MaxLength] int64 symbol ids; row k starts at stream position k·Step. A strided view of the
    /// stream (Count·MaxLength ids are never materialised); index it or call contiguous() for a copy.</summary>
    public Tensor Inputs { get; }

    /// <summary>[Count] int64: the symbol after each window (a strided view of the stream).</summary>
    public Tensor Targets { get; }

    /// <summary>
    /// Batches in window order, or shuffled by <paramref name="shuffleSeed"/> (Keras' fit shuffles each epoch: pass a
    /// different seed per epoch). x is [b, MaxLength, SymbolCount] float32 one-hot, y is [b] int64; the last batch may
    /// be smaller. Dispose them (or run inside a dispose scope) per step.
    /// </summary>
    public IEnumerable<(Tensor x, Tensor y)> OneHotBatches(int batchSize, int? shuffleSeed = null)
    {
        foreach (var (ids, y) in IndexBatches(batchSize, shuffleSeed))
        {
            using (ids)
                yield return (OneHot(ids, SymbolCount), y);
        }
    }

    /// <summary>
    /// The batches of <see cref="OneHotBatches"/> as symbol ids: x is [b, MaxLength] int64 (a model that one-hot
    /// encodes or embeds its input itself), y is [b] int64. Same order for the same seed.
    /// </summary>
    public IEnumerable<(Tensor x, Tensor y)> IndexBatches(int batchSize, int? shuffleSeed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        if (shuffleSeed is { } seed)
            new Random(seed).Shuffle(order);
        for (var start = 0; start < Count; start += batchSize)
        {
            using var index = torch.tensor(order[start..Math.Min(Count, start + batchSize)], ScalarType.Int64);
            yield return (Inputs.index_select(0, index), Targets.index_select(0, index));
        }
    }

    /// <summary>One-hot float32 encoding of an int64 index tensor: shape [..., symbolCount].</summary>
    public static Tensor OneHot(Tensor indices, long symbolCount)
    {
        using var hot = nn.functional.one_hot(indices, symbolCount);
        return hot.to_type(ScalarType.Float32);
    }
}
