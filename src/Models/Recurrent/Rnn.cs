using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A stack of Elman RNN layers unrolled with <see cref="RnnCell.Step"/>: the explicit counterpart of nn.RNN (same
/// arguments including tanh/relu, parameter names weight_ih_l{k} [H, in_k] etc., initialisation and results), plus
/// AWD-LSTM's weight drop. Layouts and regularisers: see <see cref="SingleStateRecurrentStack"/>.
/// </summary>
public sealed class Rnn : SingleStateRecurrentStack
{
    public readonly nn.NonLinearities NonLinearity;

    public Rnn(long inputSize, long hiddenSize, long numLayers = 1, nn.NonLinearities nonLinearity = nn.NonLinearities.Tanh,
        bool bias = true, bool batchFirst = false, double dropout = 0.0, double weightDrop = 0.0, bool lockedDropout = false,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(Rnn), 1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, weightDrop, lockedDropout, device, dtype)
    {
        NonLinearity = nonLinearity;
    }

    protected override Tensor Step(Tensor x, Tensor h, RecurrentLayerWeights weights)
        => RnnCell.Step(x, h, weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh, NonLinearity);
}
