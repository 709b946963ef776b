using Research.Models.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Parity;

/// <summary>
/// Runs the explicit <see cref="Lstm"/> and TorchSharp's nn.LSTM on the same input and compares outputs, final
/// states and the gradients of a fixed random projection of all three with respect to the input, h0, c0 and every
/// parameter (see <see cref="RecurrentParity"/>). The caller decides which way the weights were copied.
/// </summary>
public static class LstmParity
{
    /// <summary>An nn.LSTM with the same configuration as <paramref name="explicitLstm"/> (TorchSharp's has no proj_size).</summary>
    /// <exception cref="ArgumentException">The variant changes the step (nn.LSTM has only the standard cell).</exception>
    public static LSTM ReferenceFor(Lstm explicitLstm, Device device, ScalarType dtype) => explicitLstm.Variant.ChangesStep
        ? throw new ArgumentException($"nn.LSTM has no {explicitLstm.Variant} variant.", nameof(explicitLstm))
        : nn.LSTM(explicitLstm.InputSize, explicitLstm.HiddenSize, explicitLstm.NumLayers, explicitLstm.Bias,
            explicitLstm.BatchFirst, explicitLstm.Dropout, bidirectional: explicitLstm.Variant.Bidirectional, device: device, dtype: dtype);

    public static ParityReport Compare(Lstm explicitLstm, LSTM reference, Tensor input, (Tensor h, Tensor c)? state, long seed = 1)
    {
        RecurrentRun theirs = (x, s) =>
        {
            var (output, h, c) = reference.call(x, Pair(s));
            return (output, [h, c]);
        };
        return RecurrentParity.Compare(explicitLstm, Run(explicitLstm), reference, theirs, input, ["h", "c"], Initial(state), seed);
    }

    /// <summary>Two explicit Lstm with the same parameters, e.g. the fast implementation against the readable one.</summary>
    public static ParityReport Compare(Lstm actual, Lstm reference, Tensor input, (Tensor h, Tensor c)? state, long seed = 1)
        => RecurrentParity.Compare(actual, Run(actual), reference, Run(reference), input, ["h", "c"], Initial(state), seed);

    private static RecurrentRun Run(Lstm lstm) => (x, s) =>
    {
        var (output, (h, c)) = lstm.call(x, Pair(s));
        return (output, [h, c]);
    };

    private static (Tensor h, Tensor c)? Pair(Tensor[]? s) => s is null ? null : (s[0], s[1]);

    private static Tensor[]? Initial((Tensor h, Tensor c)? state) => state is { } st ? [st.h, st.c] : null;
}
