using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Regularisation;

/// <summary>
/// DropConnect on a weight matrix (Wan et al. 2013), as AWD-LSTM's WeightDrop applies it to hidden-to-hidden matrices
/// (Merity et al. 2018): in training the forward pass uses dropout(W_raw), elementwise, scaled by 1/(1−p); in eval W_raw.
/// Call it once per forward pass and use the result at every time step, so all steps share one mask.
/// </summary>
public static class DropConnect
{
    /// <summary>Whether <see cref="Apply"/> changes anything: training with p &gt; 0.</summary>
    public static bool IsActive(double p, bool training) => training && p > 0;

    /// <summary>The weight a forward pass should use; differentiable, so gradients reach the raw weight through the mask.</summary>
    public static Tensor Apply(Tensor weight, double p, bool training)
    {
        DropoutRate.Require(p, nameof(p));
        return IsActive(p, training) ? nn.functional.dropout(weight, p, training: true) : weight;
    }
}
