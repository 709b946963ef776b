using TorchSharp;
using static TorchSharp.torch;

namespace Research.Data.Synthetic;

/// <summary>Simple univariate series for forecasting smoke tests; float32 [length], deterministic by seed.</summary>
public static class SyntheticSeries
{
    /// <summary>
    /// x_t = amplitude · sin(2π t / period + φ) + ε_t, ε_t ~ N(0, noiseStd²), t = 0..length−1. The phase φ is drawn
    /// U[0, 2π) from the seed unless given.
    /// </summary>
    public static Tensor NoisySine(int length, int seed, double period = 50, double amplitude = 1, double noiseStd = 0.1, double? phase = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(period);
        var random = new Random(seed);
        var phi = phase ?? RandomDraws.Uniform(random, 0, 2 * Math.PI);
        var values = new float[length];
        for (var t = 0; t < length; t++)
            values[t] = (float)(amplitude * Math.Sin(2 * Math.PI * t / period + phi) + noiseStd * RandomDraws.Gaussian(random));
        return torch.tensor(values, ScalarType.Float32);
    }
}
