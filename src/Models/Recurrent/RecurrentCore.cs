using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>Which implementation runs the recurrence: the explicit <see cref="Lstm"/> or TorchSharp's nn.LSTM.</summary>
public enum RecurrentCoreKind
{
    /// <summary>The explicit gate-by-gate <see cref="Lstm"/> (the default).</summary>
    Lstm,

    /// <summary>TorchSharp's nn.LSTM (libtorch's fused kernel), for re-running any experiment against the reference.</summary>
    Torch,
}

/// <summary>
/// A time-major LSTM stack behind one call shape, whichever implementation is chosen. Both expose the same parameter
/// names (weight_ih_l0, ...), so a model's state dict is the same with either core.
/// </summary>
public sealed class RecurrentCore
{
    private readonly Func<Tensor, (Tensor h, Tensor c)?, (Tensor output, (Tensor h, Tensor c) state)> _forward;

    private RecurrentCore(nn.Module module, long hiddenSize, long numLayers,
        Func<Tensor, (Tensor h, Tensor c)?, (Tensor output, (Tensor h, Tensor c) state)> forward)
    {
        (Module, HiddenSize, NumLayers, _forward) = (module, hiddenSize, numLayers, forward);
    }

    /// <summary>The module to register as a child of the model that uses this core.</summary>
    public nn.Module Module { get; }

    public long HiddenSize { get; }

    public long NumLayers { get; }

    /// <param name="implementation">For the explicit core: the readable cell or the fast path (same parameters, same maths).</param>
    public static RecurrentCore Create(RecurrentCoreKind kind, long inputSize, long hiddenSize, long numLayers, double dropout,
        Device? device = null, ScalarType? dtype = null, LstmImplementation implementation = LstmImplementation.Fast)
    {
        switch (kind)
        {
            case RecurrentCoreKind.Lstm:
                var lstm = new Lstm(inputSize, hiddenSize, numLayers, dropout: dropout, device: device, dtype: dtype, implementation: implementation);
                return new RecurrentCore(lstm, hiddenSize, numLayers, (x, s) => lstm.call(x, s));
            case RecurrentCoreKind.Torch:
                var reference = nn.LSTM(inputSize, hiddenSize, numLayers, dropout: dropout, device: device, dtype: dtype);
                return new RecurrentCore(reference, hiddenSize, numLayers, (x, s) =>
                {
                    var (output, h, c) = reference.call(x, s);
                    return (output, (h, c));
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown recurrent core");
        }
    }

    /// <summary>x [T, B, in], state (h, c) each [L, B, H] or null for zeros; returns output [T, B, H] and the final state.</summary>
    public (Tensor output, (Tensor h, Tensor c) state) Forward(Tensor x, (Tensor h, Tensor c)? state) => _forward(x, state);
}
