using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Synthetic;

/// <summary>
/// The copying-memory task (Arjovsky, Shah &amp; Bengio 2016, sec. 4.1; after Hochreiter &amp; Schmidhuber 1997).
/// Symbols: 0 blank, 1..8 the alphabet, 9 the delimiter. With lag T, a sequence has length T + 20:
/// <code>
///   input : s1 … s10 | 0 × (T − 1) | 9 | 0 × 10
///   target: 0 × (T + 10)                | s1 … s10
/// </code>
/// where s1..s10 are drawn uniformly from 1..8. Inputs and targets are [N, T + 20] int64. A model that outputs the
/// blank and then guesses uniformly scores the memoryless cross-entropy 10·ln 8 / (T + 20) per step
/// (<see cref="MemorylessBaseline"/>).
/// </summary>
public static class CopyingMemory
{
    public const int Blank = 0;
    public const int AlphabetSize = 8;
    public const int Delimiter = 9;
    public const int SymbolCount = 10;
    public const int CopyLength = 10;

    public static SequenceSet Generate(int count, int lag, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lag);
        var random = new Random(seed);
        var length = lag + 2 * CopyLength;
        var inputs = new long[(long)count * length];
        var targets = new long[(long)count * length];
        for (var n = 0; n < count; n++)
        {
            var row = (long)n * length;
            for (var j = 0; j < CopyLength; j++)
            {
                long symbol = random.Next(1, AlphabetSize + 1);
                inputs[row + j] = symbol;
                targets[row + lag + CopyLength + j] = symbol;
            }
            inputs[row + CopyLength + lag - 1] = Delimiter;
        }
        return new SequenceSet(
            torch.tensor(inputs, [count, length], ScalarType.Int64),
            torch.tensor(targets, [count, length], ScalarType.Int64),
            Enumerable.Repeat((long)length, count).ToArray());
    }

    /// <summary>10 ln 8 / (T + 20) nats per step.</summary>
    public static double MemorylessBaseline(int lag) => CopyLength * Math.Log(AlphabetSize) / (lag + 2 * CopyLength);
}
