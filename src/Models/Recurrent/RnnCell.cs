using Research.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// One Elman RNN step (Elman 1990) with nn.RNNCell's parameters: weight_ih [H, in], weight_hh [H, H], bias_ih [H],
/// bias_hh [H], and its choice of non-linearity φ (tanh by default, or relu).
/// <code>
///   h' = φ(W_ih x + b_ih + W_hh h + b_hh)
/// </code>
/// </summary>
public sealed class RnnCell : SingleStateRecurrentCell
{
    public readonly nn.NonLinearities NonLinearity;

    public RnnCell(long inputSize, long hiddenSize, nn.NonLinearities nonLinearity = nn.NonLinearities.Tanh, bool bias = true,
        Device? device = null, ScalarType? dtype = null)
        : base(nameof(RnnCell), 1, inputSize, hiddenSize, bias, device, dtype)
    {
        NonLinearity = nonLinearity;
    }

    /// <summary>x: [B, in]; h: [B, H] (or [in], [H] unbatched). Returns h' [B, H] (or [H]).</summary>
    public override Tensor forward(Tensor x, Tensor h)
    {
        using var hold = KeepAliveScope.Open(); // every intermediate held until the forward returns (see KeepAliveScope)
        var w = Weights;
        return Step(x, h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh, NonLinearity);
    }

    /// <summary>
    /// The Elman equation for one time step; every explicit RNN in this project calls this. Its intermediates need a
    /// holder: call it where a scope is open, as forward does (<see cref="KeepAliveScope"/>).
    /// </summary>
    public static Tensor Step(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh,
        nn.NonLinearities nonLinearity)
    {
        var preActivation = nn.functional.linear(x, weightIh, biasIh).Plus(nn.functional.linear(h, weightHh, biasHh));
        return nonLinearity switch
        {
            nn.NonLinearities.Tanh => tanh(preActivation),
            nn.NonLinearities.ReLU => nn.functional.relu(preActivation),
            _ => throw new ArgumentOutOfRangeException(nameof(nonLinearity), nonLinearity, "an Elman RNN uses tanh or relu."),
        };
    }
}
