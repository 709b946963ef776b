using TorchSharp;
using static TorchSharp.torch;

namespace Research.Experiments.Tests.Tasks;

/// <summary>
/// Makes a model's output a constant we choose: every parameter zeroed, then the last layer's bias set, so each forecast
/// or logit equals that bias whatever the input and the metrics can be worked out by hand.
/// </summary>
internal static class ConstantOutput
{
    public static void Set(nn.Module model, string biasName, params double[] bias)
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in model.named_parameters())
            parameter.zero_();
        var target = model.named_parameters().Single(p => p.name == biasName).parameter;
        using var values = tensor(bias, dtype: target.dtype);
        target.copy_(values);
    }
}
