using Research.Models.Recurrent;
using Research.Models.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Sequence;

/// <summary>Where a <see cref="SequenceModel"/> reads its prediction from.</summary>
public enum SequenceReadout
{
    /// <summary>One output per sequence from the last step (the adding problem).</summary>
    LastStep,

    /// <summary>One output per step (copying memory, polyphonic music).</summary>
    EveryStep,
}

/// <summary>The shape of a <see cref="SequenceModel"/>.</summary>
public sealed record SequenceModelOptions(
    long InputSize,
    long HiddenSize,
    long OutputSize,
    SequenceReadout Readout,
    long Layers = 1,
    double Dropout = 0.0)
{
    /// <summary>The cell, its backend and the regularisers inside the recurrence (locked dropout, weight drop).</summary>
    public RecurrentStackOptions Recurrence { get; init; } = new();
}

/// <summary>
/// A recurrent stack (LSTM, GRU or RNN) with a linear read-out, for the synthetic long-memory tasks and JSB Chorales.
/// <code>
///   x [T, B, in] ──RNN───▶ [T, B, H] ──linear──▶ [T, B, out]   (EveryStep)   or   [B, out] from step T (LastStep)
/// </code>
/// Outputs are raw scores: the task applies its own loss (MSE, cross-entropy, Bernoulli NLL).
/// </summary>
public sealed class SequenceModel : nn.Module<Tensor, Tensor>
{
    private readonly RecurrentStack rnn;
    private readonly Linear readout;

    public SequenceModel(SequenceModelOptions options, Device? device = null, ScalarType? dtype = null) : base(nameof(SequenceModel))
    {
        Options = options;
        rnn = new RecurrentStack(options.Recurrence, options.InputSize, options.HiddenSize, options.Layers, options.Dropout, device: device, dtype: dtype);
        readout = nn.Linear(rnn.OutputSize, options.OutputSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public SequenceModelOptions Options { get; }

    public override Tensor forward(Tensor x)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var (output, _) = rnn.call(x);
        return Options.Readout == SequenceReadout.LastStep ? readout.call(output[-1]) : readout.call(output);
    }
}
