using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// Input and output layouts of a recurrent stack, as PyTorch's: [T, B, in], [B, T, in] with batchFirst, or [T, in]
/// unbatched. The stacks work time-major [T, B, ·] throughout and convert only at the edges.
/// </summary>
public static class RecurrentLayout
{
    /// <summary>Checks rank and feature count; returns whether the input is unbatched (2-D).</summary>
    public static bool CheckInput(Tensor input, long inputSize, string module)
    {
        var unbatched = input.dim() == 2;
        if (!unbatched && input.dim() != 3)
            throw new ArgumentException($"{module} input must be 3-D [T, B, in] (or 2-D unbatched), got [{string.Join(", ", input.shape)}].", nameof(input));
        if (input.shape[^1] != inputSize)
            throw new ArgumentException($"{module} input has {input.shape[^1]} features, expected {inputSize}.", nameof(input));
        return unbatched;
    }

    public static Tensor ToTimeMajor(Tensor input, bool unbatched, bool batchFirst)
        => unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;

    public static Tensor FromTimeMajor(Tensor output, bool unbatched, bool batchFirst)
        => unbatched ? output.squeeze(1) : batchFirst ? output.transpose(0, 1) : output;

    /// <summary>A state [L, B, H] (or [L, H] unbatched) as [L, B, H], checked; zeros like <paramref name="like"/> when absent.</summary>
    public static Tensor State(Tensor? given, long layers, long batch, long hiddenSize, bool unbatched, Tensor like, string name)
    {
        long[] expected = [layers, batch, hiddenSize];
        if (given is null)
            return zeros(expected, dtype: like.dtype, device: like.device);
        var state = unbatched ? given.unsqueeze(1) : given;
        RecurrentShapes.RequireShape(state, expected, name);
        return state;
    }
}
