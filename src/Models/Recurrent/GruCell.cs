using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One GRU step (Cho et al. 2014) in PyTorch's exact form, where the reset gate multiplies W_hn h + b_hn (not h),
/// with nn.GRUCell's parameters: weight_ih [3H, in], weight_hh [3H, H], bias_ih [3H], bias_hh [3H], gates r, z, n.
/// <code>
///   r  = σ(W_ir x + b_ir + W_hr h + b_hr)           reset gate
///   z  = σ(W_iz x + b_iz + W_hz h + b_hz)           update gate
///   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))  candidate
///   h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// </summary>
public sealed class GruCell : SingleStateRecurrentCell
{
    public GruCell(long inputSize, long hiddenSize, bool bias = true, Device? device = null, ScalarType? dtype = null)
        : base(nameof(GruCell), 3, inputSize, hiddenSize, bias, device, dtype)
    {
    }

    /// <summary>x: [B, in]; h: [B, H] (or [in], [H] unbatched). Returns h' [B, H] (or [H]).</summary>
    public override Tensor forward(Tensor x, Tensor h)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var w = Weights;
        return Step(x, h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh);
    }

    /// <summary>
    /// The GRU equations for one time step; every explicit GRU in this project calls this. Its intermediates need a
    /// holder: call it where a scope is open, as forward does (<see cref="KeepAliveScope"/>).
    /// </summary>
    public static Tensor Step(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        // Input and hidden pre-activations kept apart, [r | z | n] each: the reset gate acts on the hidden part of n only.
        var gi = nn.functional.linear(x, weightIh, biasIh).chunk(3, dim: -1);
        var gh = nn.functional.linear(h, weightHh, biasHh).chunk(3, dim: -1);

        var r = sigmoid(gi[0].Plus(gh[0]));
        var z = sigmoid(gi[1].Plus(gh[1]));
        var n = tanh(gi[2].Plus(r * gh[2]));
        return n.Plus(z * (h - n)); // = (1 − z) ⊙ n + z ⊙ h, written without the Scalar 1 (see LstmLayerFunction)
    }
}
