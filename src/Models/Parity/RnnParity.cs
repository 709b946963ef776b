using Research.Models.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>An Elman RNN <see cref="RecurrentStack"/> against nn.RNN: outputs, h_n and all gradients (see <see cref="RecurrentParity"/>).</summary>
public static class RnnParity
{
    /// <summary>An nn.RNN with the same configuration as <paramref name="rnn"/> (weight drop has no counterpart there).</summary>
    public static RNN ReferenceFor(RecurrentStack rnn, Device device, ScalarType dtype) => nn.RNN(
        rnn.InputSize, rnn.HiddenSize, rnn.NumLayers, rnn.NonLinearity, rnn.Bias, rnn.BatchFirst, rnn.Dropout,
        bidirectional: false, device: device, dtype: dtype);

    public static ParityReport Compare(RecurrentStack rnn, RNN reference, Tensor input, Tensor? h0, long seed = 1)
        => RecurrentParity.CompareSingleState(rnn, reference, (x, h) => reference.call(x, h), input, h0, seed);
}
