using Research.Models.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Research.Models.Tests.Recurrent;

/// <summary>
/// A stack unrolled by hand from zeros with the given per-layer weights (tanh for the RNN), so a test can say exactly
/// which weights and which between-layer transformation every step must have used.
/// </summary>
internal static class ManualUnroll
{
    public static (Tensor output, Tensor h) Run(string kind, Tensor x, RecurrentLayerWeights[] layers, Func<Tensor, Tensor>? betweenLayers = null)
    {
        var layerInput = x;
        var finals = new List<Tensor>();
        for (var k = 0; k < layers.Length; k++)
        {
            var w = layers[k];
            if (k > 0 && betweenLayers is not null)
                layerInput = betweenLayers(layerInput);
            var h = zeros([x.shape[1], w.WeightHh.shape[1]], dtype: x.dtype);
            var steps = new List<Tensor>();
            for (long t = 0; t < x.shape[0]; t++)
            {
                h = kind == "gru"
                    ? GruCell.Step(layerInput[t], h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh)
                    : RnnCell.Step(layerInput[t], h, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh, nn.NonLinearities.Tanh);
                steps.Add(h);
            }
            layerInput = stack(steps);
            finals.Add(h);
        }
        return (layerInput, stack(finals));
    }
}
