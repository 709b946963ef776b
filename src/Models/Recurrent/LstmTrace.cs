using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// What one layer (one direction) of a traced LSTM <see cref="RecurrentStack"/> computed over a sequence: each tensor [T, B, H]
/// (H: [T, B, P] with a projection), detached, in the input's time order (also for the reverse direction).
/// </summary>
public sealed record LstmLayerTrace(long Layer, bool Reverse, Tensor I, Tensor F, Tensor G, Tensor O, Tensor C, Tensor H)
{
    /// <summary>"layer 0" or "layer 0 reverse", for tables and plots.</summary>
    public string Name => Reverse ? $"layer {Layer} reverse" : $"layer {Layer}";
}

/// <summary>
/// Records the gates i, f, o, the candidate g and the states c, h of every step and unit of an LSTM <see cref="RecurrentStack"/>
/// forward pass (Karpathy et al. 2015, "Visualizing and Understanding Recurrent Networks"). Set
/// <see cref="RecurrentStack.Trace"/> of a readable LSTM stack to one; each forward replaces the record. The tensors are detached copies that outlive
/// the caller's dispose scope: they take no part in autograd, so outputs and gradients are those of an untraced run.
/// </summary>
public sealed class LstmTrace
{
    private readonly List<LstmLayerTrace> _layers = [];

    /// <summary>Layers in order, the forward direction before the reverse one (nn.LSTM's h_n order).</summary>
    public IReadOnlyList<LstmLayerTrace> Layers => _layers;

    internal void Clear() => _layers.Clear();

    internal void Record(long layer, bool reverse, IReadOnlyList<LstmStepValues> steps)
    {
        Tensor Stacked(Func<LstmStepValues, Tensor> pick)
        {
            var stacked = stack(steps.Select(s => pick(s).detach())).clone();
            return (reverse ? stacked.flip(0) : stacked).DetachFromDisposeScope();
        }
        _layers.Add(new LstmLayerTrace(layer, reverse,
            Stacked(s => s.I), Stacked(s => s.F), Stacked(s => s.G), Stacked(s => s.O), Stacked(s => s.C), Stacked(s => s.H)));
    }
}
