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
}
