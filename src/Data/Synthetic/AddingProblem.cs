using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Synthetic;

/// <summary>The adding problem in its two published forms; every draw comes from System.Random(seed).</summary>
public static class AddingProblem
{
    /// <summary>
    /// Arjovsky, Shah &amp; Bengio 2016 (unitary RNNs, sec. 4.2): channel 0 holds values U[0, 1), channel 1 a marker
    /// that is 1 at exactly two steps, one uniform in the first half [0, T/2) and one in the second half [T/2, T)
    /// (T/2 rounded down), 0 elsewhere. Target [N, 1] = the sum of the two marked values. Inputs [N, T, 2] float32.
    /// The "always predict 1" baseline has MSE 1/6 ≈ 0.167.
    /// </summary>
    public static SequenceSet Arjovsky(int count, int length, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        var random = new Random(seed);
        var inputs = new float[(long)count * length * 2];
        var targets = new float[count];
        var half = length / 2;
        for (var n = 0; n < count; n++)
        {
            var offset = (long)n * length * 2;
            for (var t = 0; t < length; t++)
                inputs[offset + 2 * t] = (float)random.NextDouble();
            var first = random.Next(0, half);
            var second = random.Next(half, length);
            inputs[offset + 2 * first + 1] = 1f;
            inputs[offset + 2 * second + 1] = 1f;
            targets[n] = inputs[offset + 2 * first] + inputs[offset + 2 * second];
        }
        return new SequenceSet(
            torch.tensor(inputs, [count, length, 2], ScalarType.Float32),
            torch.tensor(targets, [count, 1], ScalarType.Float32),
            Enumerable.Repeat((long)length, count).ToArray());
    }

    /// <summary>
    /// Hochreiter &amp; Schmidhuber 1997 (LSTM, experiment 4): each step is (value U[-1, 1), marker). The length is
    /// uniform in T..T + T/10 (integer division, both ends included). One of the first ten steps is marked 1 (value
    /// X1), then one of the first T/2 − 1 still-unmarked steps (X2). All other markers are 0 except the first and
    /// the last step, marked −1 when not marked 1. If the first step is marked 1, its value is set to 0 (the
    /// paper's "we set X1 to zero"). Target [N, 1] =
    /// 0.5 + (X1 + X2) / 4; a sequence counts as solved when |error| &lt; 0.04 (<see cref="SolvedTolerance"/>).
    /// Inputs [N, T + T/10, 2] float32, zero after each length.
    /// </summary>
    public static SequenceSet Hochreiter(int count, int minLength, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 22); // so the X2 range (T/2 − 1 steps) reaches past the X1 range (10)
        var random = new Random(seed);
        var maxLength = minLength + minLength / 10;
        var inputs = new float[(long)count * maxLength * 2];
        var targets = new float[count];
        var lengths = new long[count];
        for (var n = 0; n < count; n++)
        {
            var length = random.Next(minLength, maxLength + 1);
            lengths[n] = length;
            var offset = (long)n * maxLength * 2;
            for (var t = 0; t < length; t++)
                inputs[offset + 2 * t] = (float)RandomDraws.Uniform(random, -1, 1);
            var first = random.Next(0, 10);
            // The k-th of the first T/2 − 1 unmarked steps: skip over the first mark.
            var k = random.Next(0, minLength / 2 - 1);
            var second = k < first ? k : k + 1;
            if (first == 0 || second == 0)
                inputs[offset] = 0f;
            inputs[offset + 1] = -1f;
            inputs[offset + 2 * (length - 1) + 1] = -1f;
            inputs[offset + 2 * first + 1] = 1f;
            inputs[offset + 2 * second + 1] = 1f;
            targets[n] = 0.5f + (inputs[offset + 2 * first] + inputs[offset + 2 * second]) / 4f;
        }
        return new SequenceSet(
            torch.tensor(inputs, [count, maxLength, 2], ScalarType.Float32),
            torch.tensor(targets, [count, 1], ScalarType.Float32),
            lengths);
    }

    /// <summary>Hochreiter &amp; Schmidhuber's criterion: absolute error below 0.04.</summary>
    public const double SolvedTolerance = 0.04;

    /// <summary>MSE of always predicting 1 on the Arjovsky form: Var(U1 + U2) = 1/6.</summary>
    public const double ArjovskyBaselineMse = 1.0 / 6.0;
}
