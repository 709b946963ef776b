using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Batching;

/// <summary>One truncated-BPTT window: <c>Input</c> and <c>Target</c> are [Length, batch] int64 views of the batched
/// stream at rows [Start, Start+Length) and [Start+1, Start+1+Length). pytorch/examples flattens the target with
/// <c>view(-1)</c>; <c>Target.reshape(-1)</c> gives exactly that order.</summary>
public readonly record struct BpttWindow(Tensor Input, Tensor Target, long Start, long Length);

/// <summary>
/// Language-model batching as in pytorch/examples word_language_model (main.py <c>batchify</c>, <c>get_batch</c>).
/// <code>
/// Batchify a stream of 26 tokens a..z into batch 4: nsteps = 26 / 4 = 6, the last 2 tokens (y, z) are dropped,
/// the stream is cut into 4 contiguous chunks and chunk b becomes column b:
///
///   a b c d e f | g h i j k l | m n o p q r | s t u v w x | y z      batched [nsteps, batch] = [6, 4]
///                                                                       ┌ a g m s ┐  row 0
///                                                                       │ b h n t │
///                                                                       │ c i o u │
///                                                                       │ d j p v │
///                                                                       │ e k q w │
///                                                                       └ f l r x ┘  row 5
///
/// Windows with bptt 3 start at rows i = 0, 3 (range(0, nsteps - 1, bptt)); length = min(bptt, nsteps - 1 - i):
///   i = 0:  input rows 0..2 ┌ a g m s ┐   target rows 1..3 ┌ b h n t ┐
///                           │ b h n t │                    │ c i o u │
///                           └ c i o u ┘                    └ d j p v ┘
///   i = 3:  input rows 3..4 ┌ d j p v ┐   target rows 4..5 ┌ e k q w ┐   (the last window is short)
///                           └ e k q w ┘                    └ f l r x ┘
/// </code>
/// Windows come in stream order, so the hidden state at the end of one window is the right initial state for the
/// next one (detach it between windows); the columns never mix.
/// </summary>
public static class LanguageModelBatches
{
    /// <summary>pytorch's <c>batchify</c>: [n] → [n / batch, batch] int64, column b = tokens [b·nsteps, (b+1)·nsteps).</summary>
    public static Tensor Batchify(ReadOnlySpan<int> stream, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var steps = stream.Length / batchSize;
        if (steps == 0)
            throw new ArgumentException($"a stream of {stream.Length} tokens is shorter than the batch size {batchSize}", nameof(stream));
        var data = new long[steps * batchSize];
        for (var b = 0; b < batchSize; b++)
        {
            var chunk = stream.Slice(b * steps, steps);
            for (var t = 0; t < steps; t++)
                data[t * batchSize + b] = chunk[t];
        }
        return torch.tensor(data, [steps, batchSize], ScalarType.Int64);
    }

    /// <summary>pytorch's <c>batchify</c> on a 1-D tensor (same result as the span overload, same dtype as the input).</summary>
    public static Tensor Batchify(Tensor stream, long batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (stream.dim() != 1)
            throw new ArgumentException($"expected a 1-D token stream, got shape [{string.Join(", ", stream.shape)}]", nameof(stream));
        var steps = stream.shape[0] / batchSize;
        if (steps == 0)
            throw new ArgumentException($"a stream of {stream.shape[0]} tokens is shorter than the batch size {batchSize}", nameof(stream));
        // Each view is a temporary the finaliser could free while the next op reads it: a scope holds them, then frees them.
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(stream.narrow(0, 0, steps * batchSize).view(batchSize, steps).t().contiguous());
    }

    /// <summary>pytorch/examples' windows: starts 0, bptt, 2·bptt, … below nsteps − 1; the last one may be shorter.</summary>
    public static IEnumerable<BpttWindow> FixedWindows(Tensor batched, long bptt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bptt);
        var steps = RequireBatched(batched);
        for (long i = 0; i < steps - 1; i += bptt)
            yield return Window(batched, i, Math.Min(bptt, steps - 1 - i));
    }

    private static BpttWindow Window(Tensor batched, long start, long length) =>
        new(batched.narrow(0, start, length), batched.narrow(0, start + 1, length), start, length);

    private static long RequireBatched(Tensor batched) => batched.dim() == 2
        ? batched.shape[0]
        : throw new ArgumentException($"expected a batched stream [nsteps, batch], got shape [{string.Join(", ", batched.shape)}]", nameof(batched));
}
