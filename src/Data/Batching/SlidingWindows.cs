using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Batching;

/// <summary>
/// Keras lstm_text_generation's training set: for i = 0, step, 2·step, … while i &lt; n − maxlen, the window
/// text[i : i + maxlen] is an input and text[i + maxlen] its next-character target
/// (<c>for i in range(0, len(text) - maxlen, step)</c>). Kept as indices: <see cref="Inputs"/> [count, maxlen] and
/// <see cref="Targets"/> [count], int64. The one-hot array Keras builds up front ([count, maxlen, symbols], bool)
/// is made per batch by <see cref="OneHotBatches"/> instead. Keras one-hot encodes the target too, for categorical
/// cross-entropy; an index target with cross-entropy gives the same loss.
/// </summary>
public sealed class SlidingWindows
{
    public SlidingWindows(ReadOnlySpan<int> stream, int maxLength, int step, int symbolCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbolCount);
        if (stream.Length <= maxLength)
            throw new ArgumentException($"a stream of {stream.Length} symbols has no window of {maxLength} plus a target", nameof(stream));
        var count = (stream.Length - maxLength + step - 1) / step;
        var inputs = new long[(long)count * maxLength];
        var targets = new long[count];
        for (var k = 0; k < count; k++)
        {
            var start = k * step;
            for (var j = 0; j < maxLength; j++)
                inputs[(long)k * maxLength + j] = stream[start + j];
            targets[k] = stream[start + maxLength];
        }
        (MaxLength, Step, SymbolCount, Count) = (maxLength, step, symbolCount, count);
        Inputs = torch.tensor(inputs, [count, maxLength], ScalarType.Int64);
        Targets = torch.tensor(targets, [count], ScalarType.Int64);
    }

    public int MaxLength { get; }
    public int Step { get; }
    public int SymbolCount { get; }
    public int Count { get; }

    /// <summary>[Count, MaxLength] int64 symbol ids; row k starts at stream position k·Step.</summary>
    public Tensor Inputs { get; }

    /// <summary>[Count] int64: the symbol after each window.</summary>
    public Tensor Targets { get; }

    /// <summary>
    /// Batches in window order, or shuffled by <paramref name="shuffleSeed"/> (Keras' fit shuffles each epoch: pass a
    /// different seed per epoch). x is [b, MaxLength, SymbolCount] float32 one-hot, y is [b] int64; the last batch may
    /// be smaller. Dispose them (or run inside a dispose scope) per step.
    /// </summary>
    public IEnumerable<(Tensor x, Tensor y)> OneHotBatches(int batchSize, int? shuffleSeed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        if (shuffleSeed is { } seed)
            new Random(seed).Shuffle(order);
        for (var start = 0; start < Count; start += batchSize)
        {
            using var index = torch.tensor(order[start..Math.Min(Count, start + batchSize)], ScalarType.Int64);
            using var rows = Inputs.index_select(0, index);
            yield return (OneHot(rows, SymbolCount), Targets.index_select(0, index));
        }
    }

    /// <summary>One-hot float32 encoding of an int64 index tensor: shape [..., symbolCount].</summary>
    public static Tensor OneHot(Tensor indices, long symbolCount)
    {
        using var hot = nn.functional.one_hot(indices, symbolCount);
        return hot.to_type(ScalarType.Float32);
    }
}
