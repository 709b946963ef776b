using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>A GRU or Elman RNN <see cref="RecurrentStack"/> against nn.GRU / nn.RNN: outputs, h_n and all gradients (see <see cref="RecurrentParity"/>).</summary>
public static class SingleStateParity
{
    /// <summary>An nn.GRU or nn.RNN with the same configuration as <paramref name="stack"/> (weight drop has no counterpart there).</summary>
    public static nn.Module<Tensor, Tensor?, (Tensor, Tensor)> ReferenceFor(RecurrentStack stack, Device device, ScalarType dtype) => stack.Cell == RecurrentCellKind.Gru
        ? nn.GRU(stack.InputSize, stack.HiddenSize, stack.NumLayers, stack.Bias, stack.BatchFirst, stack.Dropout, device: device, dtype: dtype)
        : nn.RNN(stack.InputSize, stack.HiddenSize, stack.NumLayers, stack.NonLinearity, stack.Bias, stack.BatchFirst, stack.Dropout, device: device, dtype: dtype);

    public static ParityReport Compare(RecurrentStack stack, nn.Module<Tensor, Tensor?, (Tensor, Tensor)> reference, Tensor input, Tensor? h0, long seed = 1)
    {
        RecurrentRun theirs = (x, s) =>
        {
            var (output, h) = reference.call(x, s?[0]);
            return (output, [h]);
        };
        return RecurrentParity.Compare(stack, RecurrentParity.Run(stack), reference, theirs, input, ["h"], h0 is null ? null : [h0], seed);
    }
}
