using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The state a <see cref="RecurrentStack"/> carries between calls: h [L·D, B, P or H] for every cell, and c [L·D, B, H]
/// for an LSTM (null for GRU and RNN, whose state is h alone). Never batch-first, as in PyTorch.
/// </summary>
public sealed class RecurrentState(Tensor h, Tensor? c) : IDisposable
{
    /// <summary>h [L·D, B, P or H].</summary>
    public Tensor H { get; } = h;

    /// <summary>c [L·D, B, H] for an LSTM; null for GRU and RNN.</summary>
    public Tensor? C { get; } = c;

    /// <summary>An LSTM's (h, c): <c>var (output, (h, c)) = lstm.call(x)</c>.</summary>
    /// <exception cref="InvalidOperationException">A GRU or RNN state, which has no c.</exception>
    public void Deconstruct(out Tensor h, out Tensor c)
        => (h, c) = (H, C ?? throw new InvalidOperationException("a GRU or RNN state is h alone: read H"));

    /// <summary>An LSTM's (h, c), e.g. <c>stack.call(x, (h0, c0))</c>.</summary>
    public static implicit operator RecurrentState((Tensor h, Tensor c) state) => new(state.h, state.c);

    /// <summary>The same state cut from the graph (truncated BPTT between windows).</summary>
    public RecurrentState Detach() => new(H.detach(), C?.detach());

    /// <summary>Keeps the state alive past the caller's dispose scope.</summary>
    public RecurrentState MoveToOuterDisposeScope() => new(H.MoveToOuterDisposeScope(), C?.MoveToOuterDisposeScope());

    public void Dispose()
    {
        H.Dispose();
        C?.Dispose();
    }
}
