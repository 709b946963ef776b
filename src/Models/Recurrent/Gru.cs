using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of GRU layers unrolled with <see cref="GruCell.Step"/>: the explicit counterpart of nn.GRU (same arguments,
/// parameter names weight_ih_l{k} [3H, in_k] etc., initialisation and results), plus AWD-LSTM's weight drop.
/// Layouts and regularisers: see <see cref="SingleStateRecurrentStack"/>.
/// </summary>
public sealed class Gru : SingleStateRecurrentStack
{
    public Gru(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
        double dropout = 0.0, double weightDrop = 0.0, bool lockedDropout = false, Device? device = null, ScalarType? dtype = null)
        : base(nameof(Gru), 3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, weightDrop, lockedDropout, device, dtype)
    {
    }

    protected override Tensor Step(Tensor x, Tensor h, RecurrentLayerWeights weights)
        => GruCell.Step(x, h, weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
}
