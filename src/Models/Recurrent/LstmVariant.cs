namespace Research.Models.Recurrent;

/// <summary>
/// Which LSTM: the standard cell of <see cref="LstmCell"/> (the default, <see cref="Standard"/>) or one of the
/// variants compared by Greff et al. 2017 ("LSTM: A Search Space Odyssey"), plus the architectural options of
/// nn.LSTM (bidirectional, proj_size) and the layer-normalised LSTM of Ba et al. 2016. Immutable: build one with
/// <c>LstmVariant.Standard with { Peephole = true }</c>. The equations are in <see cref="LstmCell.Step(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, LstmLayerWeights, LstmVariant)"/>.
/// </summary>
public sealed record LstmVariant
{
    /// <summary>The standard LSTM with a forget gate, as nn.LSTM.</summary>
    public static LstmVariant Standard { get; } = new();

    /// <summary>
    /// Diagonal peephole connections (Gers &amp; Schmidhuber 2000): i and f see c_{t-1}, o sees c_t, through the
    /// [H] vectors weight_ci_l{k}, weight_cf_l{k}, weight_co_l{k}. Initialised to zero, so a fresh peephole LSTM
    /// computes exactly what the standard one does and learns to use the cell state.
    /// </summary>
    public bool Peephole { get; init; }

    /// <summary>CIFG: the forget gate is coupled to the input gate, f = 1 − i (its own weights stay, unused).</summary>
    public bool CoupledInputForget { get; init; }

    /// <summary>f = 1: the original LSTM of Hochreiter &amp; Schmidhuber 1997 (the cell only accumulates).</summary>
    public bool NoForgetGate { get; init; }

    /// <summary>i = 1: every candidate is written into the cell.</summary>
    public bool NoInputGate { get; init; }

    /// <summary>o = 1: the whole squashed cell is shown.</summary>
    public bool NoOutputGate { get; init; }

    /// <summary>g = W x + W h + b, without the tanh on the candidate.</summary>
    public bool NoInputActivation { get; init; }

    /// <summary>h = o ⊙ c, without the tanh on the cell.</summary>
    public bool NoOutputActivation { get; init; }

    /// <summary>
    /// Added at construction to the forget-gate block of bias_ih_l{k} only (bias_hh keeps its usual initialisation),
    /// so the total forget bias b_if + b_hf starts shifted by exactly this value; Jozefowicz et al. 2015 use 1.0.
    /// 0 = the standard initialisation. Needs bias.
    /// </summary>
    public double ForgetBias { get; init; }

    /// <summary>
    /// LSTMP (Sak et al. 2014) with nn.LSTM's proj_size layout: h = W_hr (o ⊙ tanh c), weight_hr_l{k} [P, H],
    /// weight_hh_l{k} [4H, P]; h, h0, h_n and the output have size P, c stays H. 0 = no projection; else 0 &lt; P &lt; H.
    /// </summary>
    public long ProjectionSize { get; init; }

    /// <summary>
    /// Every layer also runs right to left with its own parameters (nn.LSTM's names with the suffix _reverse); the
    /// output concatenates both directions [T, B, 2H] and h_n, c_n are [2L, B, H] ordered l0, l0_reverse, l1, ...
    /// </summary>
    public bool Bidirectional { get; init; }

    /// <summary>
    /// Layer-normalised LSTM (Ba et al. 2016): W_ih x and W_hh h are normalised per gate block (gains
    /// ln_ih_gain_l{k}, ln_hh_gain_l{k} [4H], init 1; the shift is bias_ih + bias_hh) and c is normalised before the
    /// output tanh (ln_c_gain_l{k} [H] init 1, ln_c_bias_l{k} [H] init 0); the carried c is not normalised.
    /// </summary>
    public bool LayerNorm { get; init; }

    /// <summary>Whether the step equations differ from the standard cell (ForgetBias and Bidirectional do not change them).</summary>
    public bool ChangesStep => Peephole || CoupledInputForget || NoForgetGate || NoInputGate || NoOutputGate
        || NoInputActivation || NoOutputActivation || LayerNorm || ProjectionSize > 0;

    /// <summary>The two directions (1 or 2) that nn.LSTM calls num_directions.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Rejects combinations whose equations would contradict each other.</summary>
    /// <exception cref="ArgumentException">A contradictory or out-of-range setting.</exception>
    public void Validate()
    {
        if (CoupledInputForget && (NoForgetGate || NoInputGate))
            throw new ArgumentException("CoupledInputForget (f = 1 − i) cannot be combined with NoForgetGate or NoInputGate.");
        if (ProjectionSize < 0)
            throw new ArgumentException($"ProjectionSize must be 0 (none) or positive, got {ProjectionSize}.");
        if (!double.IsFinite(ForgetBias))
            throw new ArgumentException($"ForgetBias must be finite, got {ForgetBias}.");
    }

    /// <summary>A short name for logs and plots, e.g. "standard" or "peephole+cifg".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Peephole) parts.Add("peephole");
        if (CoupledInputForget) parts.Add("cifg");
        if (NoForgetGate) parts.Add("no-forget-gate");
        if (NoInputGate) parts.Add("no-input-gate");
        if (NoOutputGate) parts.Add("no-output-gate");
        if (NoInputActivation) parts.Add("no-input-activation");
        if (NoOutputActivation) parts.Add("no-output-activation");
        if (LayerNorm) parts.Add("layer-norm");
        if (ForgetBias != 0) parts.Add($"forget-bias {ForgetBias}");
        if (ProjectionSize > 0) parts.Add($"projection {ProjectionSize}");
        if (Bidirectional) parts.Add("bidirectional");
        return parts.Count == 0 ? "standard" : string.Join('+', parts);
    }
}
