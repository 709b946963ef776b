using Research.Experiments.Benchmarks;

namespace Research.Experiments.Tests.Benchmarks;

public sealed class WarmUpTests
{
    [Fact]
    public void AWarmUpRunsAtLeastItsStepsAndAtLeastItsTime()
    {
        // A clock that advances 10 ms a step: 50 ms take 5 steps, whatever the step count asks; 8 steps take 8.
        (int Steps, int Ran) Warm(int minimumSteps, int minimumMs)
        {
            var (now, ran) = (TimeSpan.Zero, 0);
            var steps = WarmUp.Run(() => { ran++; now += TimeSpan.FromMilliseconds(10); }, minimumSteps, TimeSpan.FromMilliseconds(minimumMs), () => now);
            return (steps, ran);
        }
        Assert.Equal((5, 5), Warm(minimumSteps: 2, minimumMs: 50));
        Assert.Equal((8, 8), Warm(minimumSteps: 8, minimumMs: 50));
        Assert.Equal((0, 0), Warm(minimumSteps: 0, minimumMs: 0));
    }
}
