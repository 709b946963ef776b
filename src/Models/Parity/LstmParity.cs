using Research.Models.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>
/// Runs an LSTM <see cref="RecurrentStack"/> and TorchSharp's nn.LSTM on the same input and compares outputs, final
/// states and the gradients of a fixed random projection of all three with respect to the input, h0, c0 and every
/// parameter (see <see cref="RecurrentParity"/>). The caller decides which way the weights were copied.
/// </summary>
public static class LstmParity
{
    /// <summary>An nn.LSTM with the same configuration as <paramref name="explicitLstm"/> (TorchSharp's has no proj_size).</summary>
    /// <exception cref="ArgumentException">The variant changes the step (nn.LSTM has only the standard cell).</exception>
    public static LSTM ReferenceFor(RecurrentStack explicitLstm, Device device, ScalarType dtype) => explicitLstm.Variant.ChangesStep
        ? throw new ArgumentException($"nn.LSTM has no {explicitLstm.Variant} variant.", nameof(explicitLstm))
        : nn.LSTM(explicitLstm.InputSize, explicitLstm.HiddenSize, explicitLstm.NumLayers, explicitLstm.Bias,
            explicitLstm.BatchFirst, explicitLstm.Dropout, bidirectional: explicitLstm.Variant.Bidirectional, device: device, dtype: dtype);

    public static ParityReport Compare(RecurrentStack explicitLstm, LSTM reference, Tensor input, RecurrentState? state, long seed = 1)
    {
        RecurrentRun theirs = (x, s) =>
        {
            var (output, h, c) = reference.call(x, s is null ? null : (s[0], s[1]));
            return (output, [h, c]);
        };
        return RecurrentParity.Compare(explicitLstm, RecurrentParity.Run(explicitLstm), reference, theirs, input, ["h", "c"], RecurrentParity.Tensors(state), seed);
    }

    /// <summary>Two LSTM stacks with the same parameters, e.g. the fast backend against the readable one.</summary>
    public static ParityReport Compare(RecurrentStack actual, RecurrentStack reference, Tensor input, RecurrentState? state, long seed = 1)
        => RecurrentParity.Compare(actual, RecurrentParity.Run(actual), reference, RecurrentParity.Run(reference), input, ["h", "c"], RecurrentParity.Tensors(state), seed);
}
