using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Research.Models.Recurrent;

/// <summary>PyTorch's default initialisation of recurrent weights: every parameter U(−1/√H, 1/√H).</summary>
public static class RecurrentInit
{
    public static Parameter Uniform(long[] shape, long hiddenSize, Device? device, ScalarType? dtype)
    {
        var bound = 1.0 / Math.Sqrt(hiddenSize);
        using var noGrad = no_grad();
        var t = empty(shape, dtype: dtype ?? get_default_dtype(), device: device);
        nn.init.uniform_(t, -bound, bound);
        return new Parameter(t);
    }
}
