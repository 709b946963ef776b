using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One LSTM step, written from the equations (Hochreiter &amp; Schmidhuber 1997; Gers et al. 2000), with the
/// parameter layout of PyTorch's nn.LSTMCell: weight_ih [4H, in], weight_hh [4H, H], bias_ih [4H], bias_hh [4H],
/// the four gates stacked in the order i, f, g, o.
/// <code>
///   i  = σ(W_ii x + b_ii + W_hi h + b_hi)        input gate
///   f  = σ(W_if x + b_if + W_hf h + b_hf)        forget gate
///   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)     candidate cell
///   o  = σ(W_io x + b_io + W_ho h + b_ho)        output gate
///   c' = f ⊙ c + i ⊙ g
///   h' = o ⊙ tanh(c')
/// </code>
/// </summary>
public sealed class LstmCell : nn.Module<Tensor, (Tensor h, Tensor c), (Tensor h, Tensor c)>
{
    public readonly long InputSize;
    public readonly long HiddenSize;

    private Parameter weight_ih;
    private Parameter weight_hh;
    private Parameter? bias_ih;
    private Parameter? bias_hh;

    public LstmCell(long inputSize, long hiddenSize, bool bias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LstmCell))
    {
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        weight_ih = RecurrentInit.Uniform([4 * hiddenSize, inputSize], hiddenSize, device, dtype);
        weight_hh = RecurrentInit.Uniform([4 * hiddenSize, hiddenSize], hiddenSize, device, dtype);
        if (bias)
        {
            bias_ih = RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype);
            bias_hh = RecurrentInit.Uniform([4 * hiddenSize], hiddenSize, device, dtype);
        }
        RegisterComponents();
    }

    /// <summary>x: [B, in]; state h, c: [B, H]. Returns the next (h, c), each [B, H].</summary>
    public override (Tensor h, Tensor c) forward(Tensor x, (Tensor h, Tensor c) state)
        => Step(x, state.h, state.c, weight_ih, weight_hh, bias_ih, bias_hh);

    /// <summary>The LSTM equations for one time step; every explicit LSTM in this project calls this.</summary>
    public static (Tensor h, Tensor c) Step(
        Tensor x, Tensor h, Tensor c, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        // Pre-activations of all four gates at once: W_·x + b_i· + W_h·h + b_h·, stacked [i | f | g | o].
        var z = nn.functional.linear(x, weightIh, biasIh) + nn.functional.linear(h, weightHh, biasHh);
        var gates = z.chunk(4, dim: 1);

        var i = sigmoid(gates[0]);
        var f = sigmoid(gates[1]);
        var g = tanh(gates[2]);
        var o = sigmoid(gates[3]);

        var cNext = f * c + i * g;
        var hNext = o * tanh(cNext);
        return (hNext, cNext);
    }
}
