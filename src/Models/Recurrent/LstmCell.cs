using Research.Models.Runtime;
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
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        return Step(x, state.h, state.c, weight_ih, weight_hh, bias_ih, bias_hh);
    }

    /// <summary>The standard LSTM step (the class comment's equations): <see cref="Step(Tensor, Tensor, Tensor, LstmLayerWeights, LstmVariant)"/> with no variant.</summary>
    public static (Tensor h, Tensor c) Step(
        Tensor x, Tensor h, Tensor c, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        var step = Step(x, h, c, new LstmLayerWeights(weightIh, weightHh, biasIh, biasHh), LstmVariant.Standard);
        return (step.H, step.C);
    }

    /// <summary>
    /// The LSTM equations for one time step; every explicit LSTM in this project calls this. Read the standard cell
    /// by taking the plain branch of every <c>v.</c> test; each variant changes exactly one line (see <see cref="LstmVariant"/>).
    /// x: [B, in]; h: [B, H] (or [B, P]); c: [B, H]. Bidirectional is not a step matter: <see cref="RecurrentStack"/> runs it.
    /// Its intermediates need a holder: call it where a scope is open, as forward does (<see cref="KeepAliveScope"/>).
    /// </summary>
    public static LstmStepValues Step(Tensor x, Tensor h, Tensor c, LstmLayerWeights w, LstmVariant v)
    {
        // Pre-activations of all four gates at once: W_·x + b_i· + W_h·h + b_h·, stacked [i | f | g | o].
        // LN-LSTM: each product is normalised per gate block before the biases are added.
        var z = v.LayerNorm
            ? PlusBiases(NormalisePerGate(nn.functional.linear(x, w.WeightIh), w.LayerNormIhGain!)
                .Plus(NormalisePerGate(nn.functional.linear(h, w.WeightHh), w.LayerNormHhGain!)), w.BiasIh, w.BiasHh)
            : nn.functional.linear(x, w.WeightIh, w.BiasIh).Plus(nn.functional.linear(h, w.WeightHh, w.BiasHh));
        var gates = z.chunk(4, dim: 1);

        var i = v.NoInputGate ? ones_like(c) : sigmoid(WithPeephole(gates[0], w.PeepholeI, c));
        var f = v.NoForgetGate ? ones_like(c)
            : v.CoupledInputForget ? ones_like(i) - i
            : sigmoid(WithPeephole(gates[1], w.PeepholeF, c));
        var g = v.NoInputActivation ? gates[2] : tanh(gates[2]);

        var cNext = (f * c).Plus(i * g); // Plus is +, with its alpha held alive (see HeldScalars)
        var o = v.NoOutputGate ? ones_like(c) : sigmoid(WithPeephole(gates[3], w.PeepholeO, cNext)); // peephole sees c_t
        var shown = v.LayerNorm ? NormaliseCell(cNext, w.LayerNormCellGain!, w.LayerNormCellBias!) : cNext;
        var hNext = o * (v.NoOutputActivation ? shown : tanh(shown));
        if (w.WeightHr is not null)
            hNext = nn.functional.linear(hNext, w.WeightHr); // LSTMP: h = W_hr (o ⊙ tanh c)
        return new LstmStepValues(i, f, g, o, cNext, hNext);
    }

    /// <summary>Layer-norm epsilon, PyTorch's default.</summary>
    public const double LayerNormEpsilon = 1e-5;

    private static Tensor WithPeephole(Tensor preActivation, Tensor? peephole, Tensor cell)
        => peephole is null ? preActivation : preActivation.Plus(peephole * cell);

    private static Tensor PlusBiases(Tensor z, Tensor? biasIh, Tensor? biasHh)
        => (biasIh, biasHh) switch
        {
            (null, null) => z,
            (not null, null) => z.Plus(biasIh),
            (null, not null) => z.Plus(biasHh),
            _ => z.Plus(biasIh).Plus(biasHh),
        };

    // [B, 4H] → each gate's H values normalised to mean 0, variance 1 on their own, then scaled by the gain.
    private static Tensor NormalisePerGate(Tensor z, Tensor gain)
    {
        var perGate = z.view(z.shape[0], 4, -1);
        var normalised = nn.functional.layer_norm(perGate, [perGate.shape[2]], eps: LayerNormEpsilon);
        return normalised.view(z.shape[0], -1) * gain;
    }

    private static Tensor NormaliseCell(Tensor c, Tensor gain, Tensor bias)
        => nn.functional.layer_norm(c, [c.shape[1]], gain, bias, LayerNormEpsilon);
}
