using static TorchSharp.torch;

namespace Research.Data.Synthetic;

/// <summary>
/// A batch of generated sequences, sample-major: <c>Inputs</c> [N, maxLength, channels] (zero-padded after each
/// sequence's length), <c>Targets</c> as the task defines, <c>Lengths</c> the true length of each sequence.
/// Transpose to [T, N, C] for time-major models.
/// </summary>
public sealed record SequenceSet(Tensor Inputs, Tensor Targets, long[] Lengths)
{
    public long Count => Inputs.shape[0];
}
