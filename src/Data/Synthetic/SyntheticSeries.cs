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

    /// <summary>
    /// AR(p): x_t = c + Σ_{i=1..p} φ_i x_{t−i} + ε_t, ε_t ~ N(0, noiseStd²), started from zeros; the first
    /// <paramref name="burnIn"/> values are generated and dropped so the start transient is gone. Stationary when
    /// the roots of 1 − Σ φ_i z^i lie outside the unit circle (e.g. |φ_1| &lt; 1 for p = 1); not checked.
    /// </summary>
    public static Tensor AutoRegressive(int length, double[] coefficients, int seed, double noiseStd = 1, double constant = 0, int burnIn = 200)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegative(burnIn);
        if (coefficients.Length == 0)
            throw new ArgumentException("AR(p) needs p ≥ 1 coefficients", nameof(coefficients));
        var random = new Random(seed);
        var p = coefficients.Length;
        var history = new double[p + burnIn + length];
        for (var t = p; t < history.Length; t++)
        {
            var x = constant + noiseStd * RandomDraws.Gaussian(random);
            for (var i = 0; i < p; i++)
                x += coefficients[i] * history[t - 1 - i];
            history[t] = x;
        }
        return torch.tensor(history[(p + burnIn)..].Select(v => (float)v).ToArray(), ScalarType.Float32);
    }
}
