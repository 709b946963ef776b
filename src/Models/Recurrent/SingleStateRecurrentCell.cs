using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>
/// A one-step recurrent cell whose state is one tensor h (GRU, Elman RNN), with the parameter layout of PyTorch's
/// nn.GRUCell / nn.RNNCell: weight_ih [G·H, in], weight_hh [G·H, H], bias_ih [G·H], bias_hh [G·H].
/// </summary>
public abstract class SingleStateRecurrentCell : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly long InputSize;
    public readonly long HiddenSize;
    public readonly bool Bias;

    protected SingleStateRecurrentCell(string name, long gates, long inputSize, long hiddenSize, bool bias, Device? device, ScalarType? dtype)
        : base(name)
    {
        RecurrentShapes.RequirePositive(inputSize, nameof(inputSize));
        RecurrentShapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        (InputSize, HiddenSize, Bias) = (inputSize, hiddenSize, bias);
        RecurrentLayerWeights.Register(this, "", gates, inputSize, hiddenSize, hiddenSize, bias, device, dtype);
    }

    /// <summary>The parameters, looked up by name (module.to(...) replaces Parameter objects).</summary>
    public RecurrentLayerWeights Weights => RecurrentLayerWeights.Of(this, "", Bias);
}
