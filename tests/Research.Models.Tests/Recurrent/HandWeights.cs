using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>Loads hand-chosen weights into a cell with PyTorch's parameter names, for the worked-example tests.</summary>
internal static class HandWeights
{
    public static void Load(nn.Module cell, double[,] weightIh, double[,] weightHh, double[] biasIh, double[] biasHh)
    {
        using var noGrad = no_grad();
        cell.get_parameter("weight_ih")!.copy_(tensor(weightIh, dtype: ScalarType.Float64));
        cell.get_parameter("weight_hh")!.copy_(tensor(weightHh, dtype: ScalarType.Float64));
        cell.get_parameter("bias_ih")!.copy_(tensor(biasIh, dtype: ScalarType.Float64));
        cell.get_parameter("bias_hh")!.copy_(tensor(biasHh, dtype: ScalarType.Float64));
    }

    /// <summary>A batch of one: [1, n].</summary>
    public static Tensor Row(double[] values) => tensor(values, dtype: ScalarType.Float64).reshape(1, values.Length);
}
