using Research.Models.Recurrent;
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
    /// <summary>The cell, its implementation and the regularisers inside the recurrence (locked dropout, weight drop).</summary>
    public RecurrentCoreOptions Recurrence { get; init; } = new();
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
    private readonly nn.Module rnn;
    private readonly Linear readout;
    private readonly RecurrentCore _core;

    public SequenceModel(SequenceModelOptions options, Device? device = null, ScalarType? dtype = null) : base(nameof(SequenceModel))
    {
        Options = options;
        _core = RecurrentCore.Create(options.Recurrence, options.InputSize, options.HiddenSize, options.Layers, options.Dropout, device, dtype);
        rnn = _core.Module;
        readout = nn.Linear(_core.OutputSize, options.OutputSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public SequenceModelOptions Options { get; }

    public override Tensor forward(Tensor x)
    {
        var (output, _) = _core.Forward(x, null);
        return Options.Readout == SequenceReadout.LastStep ? readout.call(output[-1]) : readout.call(output);
    }
}
