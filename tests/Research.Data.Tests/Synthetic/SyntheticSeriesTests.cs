using Research.Data.Synthetic;

namespace Research.Data.Tests.Synthetic;

public class SyntheticSeriesTests
{
    [Fact]
    public void Noisy_sine_is_seeded_and_noise_free_when_asked()
    {
        float[] Sine(int seed) => SyntheticSeries.NoisySine(200, seed).data<float>().ToArray();
        Assert.Equal(Sine(1), Sine(1));
        Assert.NotEqual(Sine(1), Sine(2));
        var clean = SyntheticSeries.NoisySine(100, seed: 0, period: 20, amplitude: 2, noiseStd: 0, phase: 0).data<float>().ToArray();
        Assert.Equal(2f, clean[5], 5);
        Assert.Equal(0f, clean[10], 5);
    }

    [Fact]
    public void Ar1_is_seeded_and_has_its_lag1_autocorrelation()
    {
        float[] Series(int seed) => SyntheticSeries.AutoRegressive(20_000, [0.8], seed).data<float>().ToArray();
        var a = Series(3);
        Assert.Equal(a, Series(3));
        Assert.NotEqual(a, Series(4));
        var mean = a.Average(v => (double)v);
        var variance = a.Average(v => (v - mean) * (v - mean));
        var lag1 = Enumerable.Range(1, a.Length - 1).Average(t => (a[t] - mean) * (a[t - 1] - mean)) / variance;
        Assert.InRange(lag1, 0.77, 0.83);          // phi = 0.8
        Assert.InRange(variance, 2.5, 3.1);         // 1 / (1 - 0.64) = 2.78
    }
}
