using Research.Models.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>A GRU <see cref="RecurrentStack"/> against nn.GRU: outputs, h_n and all gradients (see <see cref="RecurrentParity"/>).</summary>
public static class GruParity
{
    /// <summary>An nn.GRU with the same configuration as <paramref name="gru"/> (weight drop has no counterpart there).</summary>
    public static GRU ReferenceFor(RecurrentStack gru, Device device, ScalarType dtype) => nn.GRU(
        gru.InputSize, gru.HiddenSize, gru.NumLayers, gru.Bias, gru.BatchFirst, gru.Dropout, bidirectional: false,
        device: device, dtype: dtype);

    public static ParityReport Compare(RecurrentStack gru, GRU reference, Tensor input, Tensor? h0, long seed = 1)
        => RecurrentParity.CompareSingleState(gru, reference, (x, h) => reference.call(x, h), input, h0, seed);
}
