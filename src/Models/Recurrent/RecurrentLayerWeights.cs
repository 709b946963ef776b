using Research.Models.Regularisation;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// The four tensors of one recurrent layer in PyTorch's layout: weight_ih [G·H, in], weight_hh [G·H, H], bias_ih [G·H],
/// bias_hh [G·H], with G gate blocks stacked (LSTM 4: i, f, g, o; GRU 3: r, z, n; Elman RNN 1).
/// </summary>
public sealed record RecurrentLayerWeights(Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh)
{
    /// <summary>
    /// Registers weight_ih{suffix}, weight_hh{suffix} (and the biases) on <paramref name="module"/>, U(±1/√H) as PyTorch.
    /// The suffix is "" for a cell and "_l{k}" (or "_l{k}_reverse") for a layer of a stack, so the names are PyTorch's;
    /// <paramref name="recurrentSize"/> is h's size, H or an LSTM's projection size P (weight_hh [G·H, P]).
    /// </summary>
    public static void Register(nn.Module module, string suffix, long gates, long inputSize, long hiddenSize, long recurrentSize,
        bool bias, Device? device, ScalarType? dtype)
    {
        module.register_parameter($"weight_ih{suffix}", RecurrentInit.Uniform([gates * hiddenSize, inputSize], hiddenSize, device, dtype));
        module.register_parameter($"weight_hh{suffix}", RecurrentInit.Uniform([gates * hiddenSize, recurrentSize], hiddenSize, device, dtype));
        if (!bias)
            return;
        module.register_parameter($"bias_ih{suffix}", RecurrentInit.Uniform([gates * hiddenSize], hiddenSize, device, dtype));
        module.register_parameter($"bias_hh{suffix}", RecurrentInit.Uniform([gates * hiddenSize], hiddenSize, device, dtype));
    }

    /// <summary>Looks the parameters up by name on each call: module.to(...) replaces Parameter objects.</summary>
    public static RecurrentLayerWeights Of(nn.Module module, string suffix, bool bias) => new(
        module.get_parameter($"weight_ih{suffix}")!,
        module.get_parameter($"weight_hh{suffix}")!,
        bias ? module.get_parameter($"bias_ih{suffix}") : null,
        bias ? module.get_parameter($"bias_hh{suffix}") : null);

    /// <summary>The same layer with W_hh through <see cref="DropConnect"/> (AWD-LSTM's weight drop); itself when inactive.</summary>
    public RecurrentLayerWeights WithDropConnect(double p, bool training)
        => DropConnect.IsActive(p, training) ? this with { WeightHh = DropConnect.Apply(WeightHh, p, training) } : this;
}
