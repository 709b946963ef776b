using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Synthetic;

/// <summary>The adding problem (Arjovsky et al. 2016 form); every draw comes from System.Random(seed).</summary>
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

    /// <summary>MSE of always predicting 1 on the Arjovsky form: Var(U1 + U2) = 1/6.</summary>
    public const double ArjovskyBaselineMse = 1.0 / 6.0;
}
